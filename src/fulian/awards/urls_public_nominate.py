"""The portal's nomination pages (the lead includes this module at the root)."""

from django.urls import path

from . import views_public_nominate as views

urlpatterns = [
    path("honour/<int:award_campaign_id>/nominate/", views.nominate, name="honour_nominate"),
    path("honour/<int:award_campaign_id>/nominate/done/", views.nominate_done, name="honour_nominate_done"),
]
