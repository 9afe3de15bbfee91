"""经费 pages (included at the root)."""

from django.urls import path

from . import views_allocations, views_ledger, views_summary

urlpatterns = [
    path("funding/", views_summary.funding_home, name="funding_home"),
    path("funding/units/<int:unit_id>/", views_summary.funding_unit, name="funding_unit"),
    path("funding/units/<int:unit_id>/villages-without/", views_summary.villages_without,
         name="funding_villages_without"),
    path("funding/units/<int:unit_id>/ledger/", views_ledger.ledger_page, name="funding_ledger"),
    path("funding/units/<int:unit_id>/receipts/", views_ledger.receipt_new, name="funding_receipt_new"),
    path("funding/units/<int:unit_id>/expenses/", views_ledger.expense_new, name="funding_expense_new"),
    path("funding/units/<int:unit_id>/disbursements/", views_ledger.disbursement_new, name="funding_disbursement_new"),
    path("funding/entries/<int:entry_id>/correct/", views_ledger.entry_correct, name="funding_entry_correct"),
    path("funding/entries/<int:entry_id>/file/", views_ledger.entry_file, name="funding_entry_file"),
    path("funding/receipts/<int:entry_id>/confirm/", views_ledger.receipt_confirm, name="funding_receipt_confirm"),
    path("funding/units/<int:unit_id>/allocate/", views_allocations.allocation_new, name="funding_allocate"),
    path("funding/shares/<int:share_id>/split/", views_allocations.share_split, name="funding_share_split"),
    path("funding/shares/<int:share_id>/pay/", views_allocations.share_pay, name="funding_share_pay"),
    path("funding/allocations/<int:allocation_id>/", views_allocations.allocation_detail, name="funding_allocation"),
    path("funding/allocations/<int:allocation_id>/pay/", views_allocations.allocation_pay,
         name="funding_allocation_pay"),
    path("funding/units/<int:unit_id>/population/", views_allocations.population, name="funding_population"),
]
