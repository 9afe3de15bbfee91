from django.urls import path

from . import views_public

urlpatterns = [
    path("calendar/", views_public.calendar_list, name="calendar"),
    path("calendar/<int:activity_id>/", views_public.calendar_detail, name="calendar_detail"),
    path("calendar/<int:activity_id>/signup/", views_public.calendar_signup_new, name="calendar_signup_new"),
    path("calendar/signups/<str:token>/", views_public.calendar_signup, name="calendar_signup"),
    path("calendar/signups/<str:token>/cancel/", views_public.calendar_signup_cancel, name="calendar_signup_cancel"),
]
