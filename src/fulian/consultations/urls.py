"""议事协商 — the organiser's pages (included at the root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("consultations/<int:consultation_id>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:consultation_id>/edit/", views.consultation_edit, name="consultation_edit"),
    path("consultations/<int:consultation_id>/open/", views.consultation_open, name="consultation_open"),
    path("consultations/<int:consultation_id>/close/", views.consultation_close, name="consultation_close"),
    path("consultations/<int:consultation_id>/publish/", views.consultation_publish, name="consultation_publish"),
    path("consultations/<int:consultation_id>/comments/", views.comment_gather, name="consultation_comment_gather"),
    path("consultations/comments/<int:comment_id>/review/", views.comment_review, name="consultation_comment_review"),
    path("consultations/comments/<int:comment_id>/answer/", views.comment_answer, name="consultation_comment_answer"),
    path("consultations/sections/<int:section_id>/decide/", views.section_decide, name="consultation_section_decide"),
]
