"""A unit's ledger through the HTTP client: 收入 posted once per form (a double tap is one line), bad amounts refused
with the reason and what was typed kept, 支出 with a receipt file and a link to a help plan, spending more than
received saved with its warning shown, 拨付下级 to a unit picked below hers (not outside it), 更正 as a reversal and
the right line anew (a second tap corrects nothing twice), the receipt file to those who may see the line; a
sibling county gets 404 on every URL of it, and bad parameters are 400."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fulian.care import plans
from fulian.funding.ledger import expense_post, receipt_post
from fulian.funding.models import Entry, EntryKind
from fulian.people.services import WomanData, woman_create

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _receipt(actor, unit, amount="5000.00", **kw):
    return receipt_post(actor=actor, unit=unit, on_date=TODAY, amount=amount, source="government", payer="县财政局",
                        **kw)


def test_a_receipt_is_posted_once_per_form(client_for, county_chair, unit):
    client = client_for(county_chair)
    county = unit("正定县")
    form = client.get(reverse("funding_ledger", args=[county.pk]))
    assert form.status_code == 200 and "登记收入" in form.content.decode()
    token = form.context["receipt_form"]["client_token"].value()
    posted = {"on_date": TODAY.isoformat(), "amount": "12,000.50", "source": "party", "payer": "县委组织部",
              "note": "党建经费", "client_token": token}
    url = reverse("funding_receipt_new", args=[county.pk])
    done = client.post(url, posted)
    assert done.status_code == 302 and done["Location"] == reverse("funding_ledger", args=[county.pk]) + f"?year={YEAR}"
    assert client.post(url, posted).status_code == 302  # a double tap
    entry = Entry.objects.get()
    assert entry.amount == Decimal("12000.50") and entry.source == "party" and entry.payer == "县委组织部"
    page = client.get(done["Location"]).content.decode()
    assert "已登记收入12000.50元" in page and "党建经费" in page and "县委组织部" in page


@pytest.mark.parametrize("amount, says", [("12.345", "最多精确到分"), ("-5", "要大于零"), ("0", "要大于零"),
                                          ("一百", "要是数字"), ("1e12", "太大")])
def test_a_bad_amount_is_refused_with_the_reason_and_the_form_kept(client_for, county_chair, unit, amount, says):
    page = client_for(county_chair).post(reverse("funding_receipt_new", args=[unit("正定县").pk]), {
        "on_date": TODAY.isoformat(), "amount": amount, "source": "donation", "payer": "爱心企业甲",
        "client_token": "tok-bad"})
    assert page.status_code == 400
    html = page.content.decode()
    assert says in html and f'value="{amount}"' in html and "爱心企业甲" in html
    assert "<details id=\"receipt\" open>" in html
    assert not Entry.objects.exists()


def test_a_receipt_dated_tomorrow_is_refused(client_for, county_chair, unit):
    page = client_for(county_chair).post(reverse("funding_receipt_new", args=[unit("正定县").pk]), {
        "on_date": (TODAY + dt.timedelta(days=1)).isoformat(), "amount": "100", "source": "other"})
    assert page.status_code == 400 and "日期不能在今天之后" in page.content.decode()


def test_an_expense_with_a_receipt_file_and_a_help_plan(client_for, county_chair, village_cadre, unit):
    village = unit("恒东社区")
    _receipt(county_chair, village, "2000.00")
    woman = woman_create(actor=village_cadre, data=WomanData(name="王秀梅", home_unit=village, phone="13803110001"))
    plan = plans.plan_open(actor=village_cadre, woman=woman, title="就业帮扶", responsible=village_cadre, today=TODAY,
                           review_on=TODAY + dt.timedelta(days=30),
                           goals=[{"category": "employment", "text": "就近就业"}])
    client = client_for(village_cadre)
    done = client.post(reverse("funding_expense_new", args=[village.pk]), {
        "on_date": TODAY.isoformat(), "amount": "800", "purpose": "care", "note": "培训教材",
        "file": SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf"), "link_kind": "help_plan",
        "link_id": str(plan.pk), "client_token": "tok-e1"}, follow=True)
    html = done.content.decode()
    assert "已登记支出800.00元" in html and "王秀梅：就业帮扶" in html and "查看票据" in html
    entry = Entry.objects.get(kind=EntryKind.EXPENSE)
    assert entry.link_kind == "help_plan" and entry.file_type == "application/pdf"
    download = client.get(reverse("funding_entry_file", args=[entry.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_an_expense_linked_to_nothing_she_may_see_or_of_the_wrong_type_is_refused(client_for, village_cadre, unit):
    url = reverse("funding_expense_new", args=[unit("恒东社区").pk])
    base = {"on_date": TODAY.isoformat(), "amount": "100", "purpose": "activities", "client_token": "tok-e2"}
    page = client_for(village_cadre).post(url, {**base, "link_kind": "help_plan", "link_id": "999999"})
    assert page.status_code == 400 and "找不到可以关联的帮扶台账" in page.content.decode()
    page = client_for(village_cadre).post(url, {**base, "link_kind": "help_plan", "link_id": "١٢"})
    assert page.status_code == 400 and "编号要是数字" in page.content.decode()
    page = client_for(village_cadre).post(url, {**base, "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")})
    assert page.status_code == 400 and "类型不对" in page.content.decode()
    page = client_for(village_cadre).post(url, {**base, "purpose": "other"})
    assert page.status_code == 400 and "请写明说明" in page.content.decode()
    assert not Entry.objects.exists()


def test_spending_more_than_received_is_saved_with_its_warning_shown(client_for, village_cadre, unit):
    village = unit("恒东社区")
    _receipt(village_cadre, village, "300.00")
    client = client_for(village_cadre)
    done = client.post(reverse("funding_expense_new", args=[village.pk]), {
        "on_date": TODAY.isoformat(), "amount": "500", "purpose": "activities", "client_token": "tok-w"}, follow=True)
    html = done.content.decode()
    assert "已登记支出500.00元" in html
    assert "超出已到账经费：到账余额300.00元，本笔500.00元" in html  # the message after saving
    ledger = client.get(reverse("funding_ledger", args=[village.pk])).content.decode()
    assert 'class="helptext warning"' in ledger and "超出已到账经费" in ledger  # and on its line


def test_money_is_passed_on_to_a_unit_below_picked_by_code(client_for, county_chair, unit):
    county = unit("正定县")
    _receipt(county_chair, county)
    client = client_for(county_chair)
    url = reverse("funding_disbursement_new", args=[county.pk])
    posted = {"to_unit": "", "to_unit_key": unit("正定镇").code, "on_date": TODAY.isoformat(), "amount": "1500",
              "note": "活动经费", "client_token": "tok-d1"}
    done = client.post(url, posted, follow=True)
    assert "已登记拨付给正定镇 1500.00元" in done.content.decode()
    client.post(url, posted)  # a double tap
    entry = Entry.objects.get(kind=EntryKind.DISBURSEMENT)
    assert entry.other_unit == unit("正定镇")
    outside = client.post(url, {**posted, "to_unit_key": unit("南关村").code, "client_token": "tok-d2"})
    assert outside.status_code == 400 and "不在可选范围内" in outside.content.decode()
    own = client.post(url, {**posted, "to_unit_key": county.code, "client_token": "tok-d3"})
    assert own.status_code == 400
    missing = client.post(url, {**posted, "to_unit_key": "", "client_token": "tok-d4"})
    assert missing.status_code == 400 and "请选择拨付给哪个下级单位" in missing.content.decode()
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 1


def test_a_village_has_no_one_below_to_pass_money_to(client_for, village_cadre, unit):
    html = client_for(village_cadre).get(reverse("funding_ledger", args=[unit("恒东社区").pk])).content.decode()
    assert "登记支出" in html and 'id="disbursement"' not in html


def test_a_line_is_corrected_by_a_reversal_and_the_right_line_once(client_for, county_chair, unit):
    county = unit("正定县")
    entry = _receipt(county_chair, county, "5000.00")
    client = client_for(county_chair)
    ledger = client.get(reverse("funding_ledger", args=[county.pk])).content.decode()
    url = reverse("funding_entry_correct", args=[entry.pk])
    assert url in ledger
    assert client.get(url).status_code == 200
    bad = client.post(url, {"reason": "", "amount": "4500"})
    assert bad.status_code == 400 and 'value="4500"' in bad.content.decode()
    bad = client.post(url, {"reason": "金额录错", "amount": "45.001"})
    assert bad.status_code == 400 and "最多精确到分" in bad.content.decode()
    done = client.post(url, {"reason": "金额录错", "amount": "4500"}, follow=True)
    assert "已冲销原记录5000.00元" in done.content.decode() and "重记4500.00元" in done.content.decode()
    again = client.post(url, {"reason": "金额录错", "amount": "4500"}, follow=True)  # a double tap
    assert "这笔账已经更正过了" in again.content.decode()
    amounts = sorted(Entry.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("-5000.00"), Decimal("4500.00"), Decimal("5000.00")]
    page = client.get(reverse("funding_ledger", args=[county.pk])).content.decode()
    assert "冲销" in page and "已更正" in page and "更正后重记" in page
    reversal = Entry.objects.get(amount=Decimal("-5000.00"))
    assert reverse("funding_entry_correct", args=[reversal.pk]) not in page  # a reversal is not corrected
    assert "冲销记录" in client.get(reverse("funding_entry_correct", args=[reversal.pk])).content.decode()


def test_the_ledger_filters_by_kind_and_year_and_pages(client_for, county_chair, unit):
    county = unit("正定县")
    for n in range(35):
        _receipt(county_chair, county, f"{n + 1}.00")
    expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="1", purpose="training")
    client = client_for(county_chair)
    first = client.get(reverse("funding_ledger", args=[county.pk]), {"kind": "receipt"})
    assert len(first.context["page"].object_list) == 30 and first.context["page"].paginator.num_pages == 2
    assert "kind=receipt&amp;page=2" in first.content.decode()
    second = client.get(reverse("funding_ledger", args=[county.pk]), {"kind": "receipt", "page": 2})
    assert len(second.context["page"].object_list) == 5
    expenses = client.get(reverse("funding_ledger", args=[county.pk]), {"kind": "expense"})
    assert [e.purpose for e in expenses.context["page"].object_list] == ["training"]
    last_year = client.get(reverse("funding_ledger", args=[county.pk]), {"year": YEAR - 1})
    assert not last_year.context["page"].object_list


@pytest.mark.parametrize("query", [{"kind": "refund"}, {"kind": "<script>"}, {"year": "٢٠٢٦"}, {"year": "20260"},
                                   {"page": "0"}])
def test_bad_ledger_parameters_are_a_400(client_for, county_chair, unit, query):
    assert client_for(county_chair).get(reverse("funding_ledger", args=[unit("正定县").pk]), query).status_code == 400


def test_a_sibling_county_gets_404_on_every_url_of_anothers_ledger(client_for, county_chair, sibling_county_cadre,
                                                                    unit):
    county = unit("正定县")
    entry = expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="10", purpose="training",
                         file=SimpleUploadedFile("a.pdf", PDF))
    client = client_for(sibling_county_cadre)
    assert client.get(reverse("funding_ledger", args=[county.pk])).status_code == 404
    assert client.get(reverse("funding_entry_correct", args=[entry.pk])).status_code == 404
    assert client.post(reverse("funding_entry_correct", args=[entry.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("funding_entry_file", args=[entry.pk])).status_code == 404
    posted = {"on_date": TODAY.isoformat(), "amount": "1", "source": "other", "purpose": "training"}
    for name in ("funding_receipt_new", "funding_expense_new", "funding_disbursement_new"):
        assert client.post(reverse(name, args=[county.pk]), posted).status_code == 404
    assert Entry.objects.count() == 1


def test_a_viewer_sees_the_ledger_without_forms_and_cannot_post(client_for, unit):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role

    executive = UserFactory(unit=unit("正定县"), roles=[Role.EXECUTIVE])
    client = client_for(executive)
    page = client.get(reverse("funding_ledger", args=[unit("正定县").pk]))
    assert page.status_code == 200 and "登记收入" not in page.content.decode()
    assert client.post(reverse("funding_receipt_new", args=[unit("正定县").pk]), {
        "on_date": TODAY.isoformat(), "amount": "1", "source": "other"}).status_code == 404
