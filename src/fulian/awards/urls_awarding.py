from django.urls import path

from . import views_awarding as views

urlpatterns = [
    path("awards/campaigns/<int:award_campaign_id>/awarding/", views.awarding_page, name="award_awarding"),
    path("awards/campaigns/<int:award_campaign_id>/award-all/", views.campaign_award_all,
         name="award_campaign_award_all"),
    path("awards/nominations/<int:nomination_id>/award/", views.nomination_award, name="award_nomination_award"),
    path("awards/nominations/<int:nomination_id>/certificate/", views.certificate_page, name="award_certificate"),
    path("awards/nominations/<int:nomination_id>/relays/", views.relay_list, name="award_relays"),
    path("awards/nominations/<int:nomination_id>/relays/new/", views.relay_new, name="award_relay_new"),
    path("awards/relays/<int:relay_id>/link/", views.relay_link, name="award_relay_link"),
    path("awards/relays/<int:relay_id>/remove/", views.relay_remove, name="award_relay_remove"),
]
