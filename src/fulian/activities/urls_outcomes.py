from django.urls import path

from . import views_outcomes as views

urlpatterns = [
    path("activities/<int:activity_id>/completions/", views.completions_page, name="activity_completions"),
    path("activities/completions/<int:completion_id>/certificate/", views.certificate_page,
         name="completion_certificate"),
    path("activities/completions/<int:completion_id>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path("activities/outcomes/<int:outcome_id>/remove/", views.outcome_remove, name="outcome_remove"),
]
