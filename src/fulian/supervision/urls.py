from django.urls import path

from . import views

urlpatterns = [
    path("supervision/", views.supervision_home, name="supervision_home"),
    path("supervision/teams/new/", views.team_new, name="supervision_team_new"),
    path("supervision/teams/<int:team_id>/", views.team_detail, name="supervision_team"),
    path("supervision/teams/<int:team_id>/visits/new/", views.visit_new, name="supervision_visit_new"),
    path("supervision/teams/<int:team_id>/rectifications/", views.team_items, name="supervision_team_items"),
    path("supervision/teams/<int:team_id>/rectifications.xlsx", views.team_items_export,
         name="supervision_team_export"),
    path("supervision/visits/<int:visit_id>/", views.visit_detail, name="supervision_visit"),
    path("supervision/rectifications/<int:rectification_id>/", views.rectification_detail,
         name="rectification_detail"),
    path("supervision/rectifications/<int:rectification_id>/close/", views.rectification_close,
         name="rectification_close"),
    path("supervision/rectifications/<int:rectification_id>/evidence/", views.rectification_evidence,
         name="rectification_evidence"),
]
