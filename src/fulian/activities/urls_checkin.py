from django.urls import path

from . import views_checkin as views

urlpatterns = [
    path("activities/sessions/<int:session_id>/checkin/", views.checkin_display, name="checkin_display"),
    path("activities/sessions/<int:session_id>/checkin/qr.svg", views.checkin_qr, name="checkin_qr"),
    path("activities/sessions/<int:session_id>/checkin/status.json", views.checkin_status, name="checkin_status"),
    path("activities/sessions/<int:session_id>/roll/", views.checkin_roll, name="checkin_roll"),
    path("activities/sessions/<int:session_id>/roll/tick/", views.checkin_tick, name="checkin_tick"),
    path("activities/sessions/<int:session_id>/roll/undo/", views.checkin_undo, name="checkin_undo"),
    # public: what the session's QR code opens on her phone (the rotating code is the key)
    path("checkin/<int:session_id>/<str:code>/", views.checkin_public, name="checkin_public"),
]
