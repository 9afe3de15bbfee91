"""议事协商 on the portal (no login; included at the root)."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("consult/", views_public.consult_list, name="consult_list"),
    path("consult/<int:consultation_id>/", views_public.consult_detail, name="consult_detail"),
]
