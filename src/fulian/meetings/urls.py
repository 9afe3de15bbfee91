from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/export.xlsx", views.meeting_export, name="meeting_export"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/decisions/<int:decision_id>/task/", views.decision_task_new, name="decision_task_new"),
]
