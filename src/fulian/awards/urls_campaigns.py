"""Campaign pages of family awards (the lead includes this module at the root): the list, 发起评选, the standing
page, changes, cancelling and a receiving unit's part."""

from django.urls import path

from . import views_campaigns as views

urlpatterns = [
    path("awards/", views.campaign_list, name="award_campaign_list"),
    path("awards/new/", views.campaign_new, name="award_campaign_new"),
    path("awards/<int:award_campaign_id>/", views.campaign_detail, name="award_campaign"),
    path("awards/<int:award_campaign_id>/edit/", views.campaign_edit, name="award_campaign_edit"),
    path("awards/<int:award_campaign_id>/cancel/", views.campaign_cancel, name="award_campaign_cancel"),
    path("awards/<int:award_campaign_id>/done/", views.campaign_done, name="award_campaign_done"),
    path("awards/parts/<int:award_recipient_id>/", views.campaign_part, name="award_campaign_part"),
]
