from django.urls import path

from . import views_showcase as views

urlpatterns = [
    path("honour/<int:award_campaign_id>/showcase/", views.showcase_page, name="award_showcase"),
    path("honour/photos/<int:award_photo_id>/", views.photo_public, name="award_photo_public"),
]
