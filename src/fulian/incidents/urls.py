from django.urls import path

from . import views

urlpatterns = [
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/new/", views.incident_new, name="incident_new"),
    path("incidents/statements/", views.statement_queue, name="incident_statement_queue"),
    path("incidents/rollup/", views.incident_rollup, name="incident_rollup"),
    path("incidents/export.xlsx", views.incident_export, name="incident_export"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:incident_id>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<int:incident_id>/actions/", views.incident_action, name="incident_action"),
    path("incidents/<int:incident_id>/statement/", views.incident_statement, name="incident_statement"),
    path("incidents/<int:incident_id>/cases/", views.incident_case_link, name="incident_case_link"),
    path("incidents/<int:incident_id>/close/", views.incident_close, name="incident_close"),
]
