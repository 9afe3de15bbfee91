"""The cadre's 公示 pages: start it, the objections and their findings (the lead includes this module at the root)."""

from django.urls import path

from . import views_notice as views

urlpatterns = [
    path("awards/<int:award_campaign_id>/notice/", views.notice_admin, name="award_notice_admin"),
    path("awards/<int:award_campaign_id>/notice/start/", views.notice_start, name="award_notice_start"),
    path("awards/objections/<int:award_objection_id>/", views.objection_detail, name="award_objection"),
]
