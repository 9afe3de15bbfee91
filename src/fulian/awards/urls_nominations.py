"""Cadre pages of nominations and of 评选资格核查 (the lead includes this module at the root)."""

from django.urls import path

from . import views_nominations as views

urlpatterns = [
    path("awards/<int:award_campaign_id>/nominations/", views.nomination_list, name="award_nomination_list"),
    path("awards/<int:award_campaign_id>/nominate/", views.nomination_new, name="award_nominate"),
    path("awards/nominations/<int:nomination_id>/", views.nomination_detail, name="award_nomination"),
    path("awards/nominations/<int:nomination_id>/merge/", views.nomination_merge, name="award_nomination_merge"),
    path("awards/nominations/<int:nomination_id>/withdraw/", views.nomination_withdraw,
         name="award_nomination_withdraw"),
    path("awards/nominations/<int:nomination_id>/photos/", views.nomination_photos_add,
         name="award_nomination_photos"),
    path("awards/photos/<int:award_photo_id>/", views.nomination_photo, name="award_photo"),
    path("awards/checks/", views.checks_list, name="award_checks"),
    path("awards/checks/<int:eligibility_check_id>/", views.check_decide, name="award_check_decide"),
]
