"""经费 Excel downloads and the population import (included at the root)."""

from django.urls import path

from . import views_exchange as views

urlpatterns = [
    path("funding/exchange/", views.exchange, name="funding_exchange"),
    path("funding/exchange/ledger.xlsx", views.export_ledger, name="funding_export_ledger"),
    path("funding/exchange/allocations/<int:allocation_id>/shares.xlsx", views.export_shares,
         name="funding_export_shares"),
    path("funding/exchange/population-template.xlsx", views.population_template_download,
         name="funding_population_template"),
    path("funding/exchange/population/", views.population_import, name="funding_population_import"),
    path("funding/exchange/imports/<int:job_id>/", views.import_job, name="funding_import_job"),
]
