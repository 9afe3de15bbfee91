"""The funding ledger API from the outside (bearer tokens): money received, spent and passed on, a double submit
answered with the first line, amounts refused with the rule's own words (negative, finer than a fen, not a number),
overspending recorded with a warning, a posted line never edited (no PUT or PATCH; a correction posts new lines),
a disbursement confirmed once by the village, the year's summary and the villages without money, and the county
next door seeing none of it (404)."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.funding import ledger
from fulian.funding.models import Entry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def _post(api, url, body):
    return api.post(f"/api/v1{url}", body, content_type="application/json")


@pytest.fixture
def county(unit):
    return unit("正定县")


@pytest.fixture
def api(api_for, county_chair):
    return api_for(county_chair)


def _receipt(api, county, amount="1000.00", **extra):
    return _post(api, f"/funding/units/{county.pk}/receipts",
                 {"on_date": str(TODAY), "amount": amount, "source": "government", "payer": "正定县财政局", **extra})


def test_money_received_and_spent_with_a_warning_and_the_years_summary(api, county):
    made = _receipt(api, county, client_token="r-1")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["kind"], body["amount"], body["source"], body["payer"]) == ("receipt", "1000.00", "government",
                                                                             "正定县财政局")
    again = _receipt(api, county, client_token="r-1")
    assert (again.status_code, again.json()["id"]) == (200, body["id"])  # a double submit: the first line
    assert Entry.objects.count() == 1

    spent = _post(api, f"/funding/units/{county.pk}/expenses",
                  {"on_date": str(TODAY), "amount": 1200.5, "purpose": "activities", "note": "三八节活动"})
    assert spent.status_code == 201, spent.content
    assert spent.json()["amount"] == "1200.50"
    assert "超出已到账经费" in spent.json()["warning"]  # recorded, not refused

    summary = api.get(f"/api/v1/funding/units/{county.pk}/summary", {"year": YEAR}).json()
    own = summary["own"]
    assert (own["received"], own["spent"], own["passed"], own["balance"]) == ("1000.00", "1200.50", "0.00",
                                                                             "-200.50")
    assert {s["source"]: s["amount"] for s in own["by_source"]}["government"] == "1000.00"
    assert summary["subtree"]["received"] == "1000.00" and summary["subtree"]["spent"] == "1200.50"
    assert {p["purpose"]: p["amount"] for p in summary["subtree"]["by_purpose"]}["activities"] == "1200.50"
    assert summary["subtree"]["village_share"] is None and summary["subtree"]["villages"] == 3
    assert [c["unit"]["name"] for c in summary["children"]] == ["正定镇", "新安镇"]

    lines = api.get(f"/api/v1/funding/units/{county.pk}/ledger").json()
    assert lines["count"] == 2 and [e["kind"] for e in lines["items"]] == ["expense", "receipt"]
    assert api.get(f"/api/v1/funding/units/{county.pk}/ledger", {"kind": "expense"}).json()["count"] == 1
    assert api.get(f"/api/v1/funding/units/{county.pk}/ledger", {"year": YEAR - 1}).json()["count"] == 0
    one = api.get(f"/api/v1/funding/entries/{body['id']}")
    assert one.status_code == 200 and one.json()["unit"]["code"] == county.code


AMOUNTS = [("-5", "要大于零"), ("0", "要大于零"), ("1.005", "最多精确到分"), (1.005, "最多精确到分"),
           ("十元", "要是数字"), ("1e12", "太大")]


@pytest.mark.parametrize(("amount", "message"), AMOUNTS)
def test_a_bad_amount_is_400_with_the_rules_words(api, county, unit, amount, message):
    for url, body in ((f"/funding/units/{county.pk}/receipts", {"source": "party"}),
                      (f"/funding/units/{county.pk}/expenses", {"purpose": "training"}),
                      (f"/funding/units/{county.pk}/disbursements", {"to_unit_id": unit("正定镇").pk})):
        answer = _post(api, url, {"on_date": str(TODAY), "amount": amount, **body})
        assert answer.status_code == 400, (url, answer.content)
        assert message in answer.json()["detail"] and "金额" in answer.json()["detail"]
    assert not Entry.objects.exists()


def test_other_refusals_are_400_not_500(api, county, unit):
    future = _post(api, f"/funding/units/{county.pk}/receipts",
                   {"on_date": str(TODAY + dt.timedelta(days=1)), "amount": "1", "source": "party"})
    assert future.status_code == 400 and "今天之后" in future.json()["detail"]
    other = _post(api, f"/funding/units/{county.pk}/expenses", {"on_date": str(TODAY), "amount": "1",
                                                                "purpose": "other"})
    assert other.status_code == 400 and "说明" in other.json()["detail"]
    itself = _post(api, f"/funding/units/{county.pk}/disbursements", {"on_date": str(TODAY), "amount": "1",
                                                                     "to_unit_id": county.pk})
    assert itself.status_code == 400 and "本单位以下" in itself.json()["detail"]
    assert _post(api, f"/funding/units/{county.pk}/receipts", {"on_date": str(TODAY), "amount": "1",
                                                               "source": "lottery"}).status_code == 422
    for query in ({"kind": "gift"}, {"year": 1999}, {"limit": 0}):
        assert api.get(f"/api/v1/funding/units/{county.pk}/ledger", query).status_code == 422
    assert api.get(f"/api/v1/funding/units/{county.pk}/summary", {"year": 411939}).status_code == 422
    assert not Entry.objects.exists()


def test_a_posted_line_is_never_edited_and_a_correction_posts_new_lines(api, county):
    line = _receipt(api, county).json()
    url = f"/api/v1/funding/entries/{line['id']}"
    for method in ("put", "patch", "delete"):
        answer = getattr(api, method)(url, {"amount": "900.00"}, content_type="application/json")
        assert answer.status_code == 405, method
    wrong = _post(api, f"/funding/entries/{line['id']}/correct", {"reason": "金额录错", "amount": "900.001"})
    assert wrong.status_code == 400 and "最多精确到分" in wrong.json()["detail"]
    corrected = _post(api, f"/funding/entries/{line['id']}/correct", {"reason": "金额录错", "amount": "900.00"})
    assert corrected.status_code == 201, corrected.content
    reversal, replacement = corrected.json()["reversal"], corrected.json()["replacement"]
    assert (reversal["amount"], reversal["reverses_id"]) == ("-1000.00", line["id"])
    assert (replacement["amount"], replacement["replaces_id"]) == ("900.00", line["id"])
    assert api.get(url).json()["amount"] == "1000.00"  # the posted line itself is unchanged
    twice = _post(api, f"/funding/entries/{line['id']}/correct", {"reason": "再改", "amount": "800.00"})
    assert twice.status_code == 409 and "已经更正过" in twice.json()["detail"]
    no_reason = _post(api, f"/funding/entries/{replacement['id']}/correct", {"reason": " "})
    assert no_reason.status_code == 400 and "更正原因" in no_reason.json()["detail"]
    own = api.get(f"/api/v1/funding/units/{county.pk}/summary").json()["own"]
    assert own["received"] == "900.00"
    assert api.get(f"/api/v1/funding/units/{county.pk}/ledger").json()["count"] == 3


def test_a_disbursement_confirmed_once_by_the_village(api, api_for, county, unit, village_chair):
    village = unit("恒东社区")
    _receipt(api, county)
    paid = _post(api, f"/funding/units/{county.pk}/disbursements",
                 {"to_unit_id": village.pk, "on_date": str(TODAY), "amount": "300.00", "note": "活动经费",
                  "client_token": "d-1"})
    assert paid.status_code == 201 and paid.json()["other_unit"]["name"] == "恒东社区"
    assert paid.json()["warning"] == ""
    assert _post(api, f"/funding/units/{county.pk}/disbursements",
                 {"to_unit_id": village.pk, "on_date": str(TODAY), "amount": "300.00",
                  "client_token": "d-1"}).json()["id"] == paid.json()["id"]
    mine = api_for(village_chair)
    waiting = mine.get(f"/api/v1/funding/units/{village.pk}/to-confirm").json()
    assert [e["id"] for e in waiting["items"]] == [paid.json()["id"]]
    # the village does not see the county's ledger line itself, but confirms the money addressed to it
    assert mine.get(f"/api/v1/funding/entries/{paid.json()['id']}").status_code == 404
    confirmed = _post(mine, f"/funding/disbursements/{paid.json()['id']}/confirm", {"on_date": str(TODAY)})
    assert confirmed.status_code == 201, confirmed.content
    receipt = confirmed.json()
    assert (receipt["amount"], receipt["source"], receipt["disbursement_id"]) == ("300.00", "parent",
                                                                                 paid.json()["id"])
    assert receipt["other_unit"]["name"] == "正定县"
    again = _post(mine, f"/funding/disbursements/{paid.json()['id']}/confirm", {"on_date": str(TODAY)})
    assert again.status_code == 409
    assert mine.get(f"/api/v1/funding/units/{village.pk}/to-confirm").json()["count"] == 0

    without = api.get(f"/api/v1/funding/units/{county.pk}/villages-without", {"year": YEAR}).json()
    assert [u["name"] for u in without["items"]] == ["张家庄村", "西柏棠村"] and without["count"] == 2
    summary = api.get(f"/api/v1/funding/units/{county.pk}/summary").json()
    assert summary["subtree"]["villages_received"] == "300.00"
    assert (summary["subtree"]["villages_reached"], summary["subtree"]["villages_without"]) == (1, 2)
    subtree = api.get(f"/api/v1/funding/units/{county.pk}/ledger", {"subtree": "true"}).json()
    assert subtree["count"] == 3


def test_an_executive_who_may_only_view_reads_but_cannot_post(api_for, api, county, unit):
    _receipt(api, county)
    executive = UserFactory(username="county-executive", unit=county, roles=[Role.EXECUTIVE])
    reader = api_for(executive)
    assert reader.get(f"/api/v1/funding/units/{county.pk}/ledger").json()["count"] == 1
    answer = _post(reader, f"/funding/units/{county.pk}/receipts",
                   {"on_date": str(TODAY), "amount": "1", "source": "party"})
    assert answer.status_code == 404
    assert Entry.objects.count() == 1


def test_the_county_next_door_sees_none_of_it(api_for, county_chair, sibling_county_cadre, county, unit):
    receipt = ledger.receipt_post(actor=county_chair, unit=county, on_date=TODAY, amount="500.00", source="party")
    paid = ledger.disbursement_post(actor=county_chair, unit=county, to_unit=unit("恒东社区"), on_date=TODAY,
                                    amount="100.00")
    before = Entry.objects.count()
    api = api_for(sibling_county_cadre)
    gets = [f"/funding/units/{county.pk}/summary", f"/funding/units/{county.pk}/ledger",
            f"/funding/units/{county.pk}/villages-without", f"/funding/units/{county.pk}/to-confirm",
            f"/funding/units/{unit('恒东社区').pk}/to-confirm", f"/funding/entries/{receipt.pk}",
            f"/funding/entries/{paid.pk}"]
    for url in gets:
        assert api.get(f"/api/v1{url}").status_code == 404, url
    posts = [(f"/funding/units/{county.pk}/receipts", {"on_date": str(TODAY), "amount": "1", "source": "party"}),
             (f"/funding/units/{county.pk}/expenses", {"on_date": str(TODAY), "amount": "1", "purpose": "care"}),
             (f"/funding/units/{unit('行唐县').pk}/disbursements", {"on_date": str(TODAY), "amount": "1",
                                                                  "to_unit_id": unit("恒东社区").pk}),
             (f"/funding/entries/{receipt.pk}/correct", {"reason": "x", "amount": "1"}),
             (f"/funding/disbursements/{paid.pk}/confirm", {"on_date": str(TODAY)})]
    for url, body in posts:
        assert _post(api, url, body).status_code == 404, url
    assert Entry.objects.count() == before
    # her own county's ledger is empty of 正定县's lines, even with the subtree
    xingtang = api.get(f"/api/v1/funding/units/{unit('行唐县').pk}/ledger", {"subtree": "true"}).json()
    assert xingtang["count"] == 0
