"""A cadre's sign-up of a woman of her registry (the lead includes this module at the root)."""

from django.urls import path

from . import views_signups

urlpatterns = [
    path("women/<int:woman_id>/activities/signup/", views_signups.woman_signup, name="woman_activity_signup"),
]
