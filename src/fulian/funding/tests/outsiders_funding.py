"""Records of the funding id routes for api/tests/test_outsiders.py (and the schemathesis seed): 正定县's money from
the same-level government, an allocation of 正定县 split equally among its townships and paid (one disbursement to
正定镇, not yet confirmed) — its share, the disbursement and a receipt line of 正定县's ledger; under the API's names
(funding_*_id) and the pages' (entry_id, share_id, allocation_id). No public routes."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.funding import ledger
    from fulian.funding.allocations import allocation_confirm, rule_clean
    from fulian.funding.models import Basis

    today = timezone.localdate()
    receipt = ledger.receipt_post(actor=chair, unit=county, on_date=today, amount="50000.00", source="government",
                                  payer="正定县财政局", note="年度妇联工作经费")
    allocation = allocation_confirm(actor=chair, unit=county, year=today.year, title="乡镇妇联工作经费",
                                    rule=rule_clean(county, basis=Basis.EQUAL), amount="10000.00",
                                    pay_by=today + dt.timedelta(days=30))
    share = allocation.shares.order_by("unit_path").first()
    ledger.disbursement_post(actor=chair, unit=county, to_unit=share.unit, on_date=today, amount=share.amount,
                             share=share, note=allocation.title)
    disbursement = ledger.receipts_to_confirm(share.unit).get(share=share)
    return {"funding_entry_id": receipt.pk, "funding_allocation_id": allocation.pk, "funding_share_id": share.pk,
            "funding_disbursement_id": disbursement.pk,
            # the pages' names (funding/urls.py): a line of 正定县's ledger (the disbursement, which 正定镇 confirms)
            "entry_id": disbursement.pk, "share_id": share.pk, "allocation_id": allocation.pk}
