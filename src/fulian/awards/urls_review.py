from django.urls import path

from . import views_review as views
from .exports import STAGES

urlpatterns = [
    path("awards/<int:award_campaign_id>/review/", views.review_queue, name="award_review_queue"),
    path("awards/<int:award_campaign_id>/shortlist/", views.shortlist_page, name="award_shortlist"),
    path("awards/nominations/<int:nomination_id>/review/", views.review_nomination, name="award_review"),
    path("awards/nominations/<int:nomination_id>/review/score/", views.review_score, name="award_score"),
    path("awards/nominations/<int:nomination_id>/review/decide/", views.review_decide, name="award_decide"),
    path("awards/nominations/<int:nomination_id>/review/undo/", views.review_undo, name="award_decision_undo"),
] + [
    path(f"awards/<int:award_campaign_id>/export/{stage}.xlsx", views.export_views[stage],
         name=f"award_export_{stage}")
    for stage in STAGES
]
