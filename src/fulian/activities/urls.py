"""Organising pages of activities: a unit's activities, projects and campaigns (the lead includes this module at
the root). Sign-up, check-in and outcome pages are in their own urls_* modules."""

from django.urls import path

from . import views

urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/publish/", views.activity_publish, name="activity_publish"),
    path("activities/<int:activity_id>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:activity_id>/participants.xlsx", views.activity_participants_export,
         name="activity_participants_export"),
    path("activities/<int:activity_id>/attendance-sheet/", views.attendance_sheet, name="activity_attendance_sheet"),
    path("activities/<int:activity_id>/attendance-sheet/template.xlsx", views.attendance_sheet_template,
         name="activity_attendance_template"),
    path("activities/<int:activity_id>/attendance-sheet/errors.xlsx", views.attendance_sheet_errors,
         name="activity_attendance_errors"),
    path("activities/projects/", views.project_list, name="activity_project_list"),
    path("activities/projects/new/", views.project_new, name="activity_project_new"),
    path("activities/projects/<int:project_id>/", views.project_detail, name="activity_project"),
    path("activities/projects/<int:project_id>/edit/", views.project_edit, name="activity_project_edit"),
    path("activities/campaigns/", views.campaign_list, name="activity_campaign_list"),
    path("activities/campaigns/new/", views.campaign_new, name="activity_campaign_new"),
    path("activities/campaigns/<int:campaign_id>/", views.campaign_detail, name="activity_campaign"),
    path("activities/campaigns/<int:campaign_id>/units/<int:unit_id>/", views.campaign_rollup,
         name="activity_campaign_rollup"),
    path("activities/campaigns/parts/<int:recipient_id>/", views.campaign_part, name="activity_campaign_part"),
    path("activities/campaigns/<int:campaign_id>/done/", views.campaign_done, name="activity_campaign_done"),
    path("activities/campaigns/<int:campaign_id>/remind/", views.campaign_remind, name="activity_campaign_remind"),
    path("activities/campaigns/<int:campaign_id>/close/", views.campaign_close, name="activity_campaign_close"),
]
