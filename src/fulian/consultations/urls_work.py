"""Pages of 征求基层意见 and 提案建议, the portal's list of adopted proposals, and the Excel downloads of
consultations (included at the root)."""

from django.urls import path

from . import views_exchange, views_inquiries, views_proposals

urlpatterns = [
    path("inquiries/", views_inquiries.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", views_inquiries.inquiry_new, name="inquiry_new"),
    path("inquiries/<int:inquiry_id>/", views_inquiries.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:inquiry_id>/summary/", views_inquiries.inquiry_summarise, name="inquiry_summarise"),
    path("inquiries/received/<int:inquiry_copy_id>/", views_inquiries.inquiry_copy, name="inquiry_copy"),
    path("proposals/", views_proposals.proposal_list, name="proposal_list"),
    path("proposals/new/", views_proposals.proposal_new, name="proposal_new"),
    path("proposals/<int:proposal_id>/", views_proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:proposal_id>/reply/", views_proposals.proposal_reply, name="proposal_reply"),
    path("consult/proposals/", views_proposals.proposals_public, name="proposals_public"),
    path("consultations/exchange/", views_exchange.exchange, name="consultation_exchange"),
    path("consultations/exchange/consultations.xlsx", views_exchange.export_consultations,
         name="consultation_export_consultations"),
    path("consultations/exchange/comments.xlsx", views_exchange.export_comments,
         name="consultation_export_comments"),
    path("consultations/exchange/proposals.xlsx", views_exchange.export_proposals,
         name="consultation_export_proposals"),
]
