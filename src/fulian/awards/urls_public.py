"""The public pages of a campaign: its page with the vote, proving a phone to vote, the vote, and 公示 (the lead
includes this module at the root)."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("honour/", views.campaign_index, name="award_public_index"),
    path("honour/<int:award_campaign_id>/", views.campaign_page, name="award_public"),
    path("honour/<int:award_campaign_id>/vote/", views.vote, name="award_vote"),
    path("honour/<int:award_campaign_id>/vote/verify/", views.vote_verify, name="award_vote_verify"),
    path("honour/<int:award_campaign_id>/notice/", views.notice_page, name="award_public_notice"),
]
