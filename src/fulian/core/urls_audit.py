"""操作审计 (mounted at audit/): the search page of the audit trail and read log, and its Excel export."""

from django.urls import path

from . import views_audit

urlpatterns = [
    path("", views_audit.audit_search, name="audit_search"),
    path("export.xlsx", views_audit.audit_export, name="audit_export"),
    path("digest.json", views_audit.audit_digest, name="audit_digest"),
]
