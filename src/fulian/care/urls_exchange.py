"""导入导出 pages of care (Excel downloads and the memberships import), included at the root."""

from django.urls import path

from . import views_exchange as views

urlpatterns = [
    path("care/exchange/", views.exchange, name="care_exchange"),
    path("care/exchange/memberships.xlsx", views.export_memberships, name="care_export_memberships"),
    path("care/exchange/plans.xlsx", views.export_plans, name="care_export_plans"),
    path("care/exchange/resources.xlsx", views.export_resources, name="care_export_resources"),
    path("care/exchange/offers.xlsx", views.export_offers, name="care_export_offers"),
    path("care/exchange/children.xlsx", views.export_children, name="care_export_children"),
    path("care/exchange/template.xlsx", views.import_template, name="care_import_template"),
    path("care/exchange/import/", views.import_upload, name="care_import"),
    path("care/exchange/resources-template.xlsx", views.import_resources_template,
         name="care_import_resources_template"),
    path("care/exchange/import-resources/", views.import_resources_upload, name="care_import_resources"),
    path("care/exchange/imports/<int:job_id>/", views.import_job, name="care_import_job"),
]
