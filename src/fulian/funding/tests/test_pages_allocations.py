"""下达经费 and 往下分配 through the HTTP client: the preview shows each top unit's share, the levels in between, the
total to the fen and the part reaching villages; a refused rule shows its reason in the form with what was typed;
确认下达 writes exactly the previewed plan, once per form, and only by a leader (staff preview); a share is split on
keeping a part; the allocation's page drills down level by level and 按分配拨付 pays each share once; a sibling
county gets 404 on every URL of it and bad parameters are 400."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.funding import views_allocations
from fulian.funding.allocations import allocation_confirm, rule_clean
from fulian.funding.ledger import shares_pay
from fulian.funding.models import Allocation, Basis, Entry, EntryKind, Share

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year
PAY_BY = (TODAY + dt.timedelta(days=20)).isoformat()


def _fields(**kw) -> dict:
    """The county's budget line per village federation straight to its villages, its townships keeping nothing."""
    return {"title": "村级妇联工作经费", "year": str(YEAR), "amount": "9000.00", "basis": Basis.VILLAGES,
            "target_level": "5", "pay_by": PAY_BY, "client_token": "tok-a1", **kw}


def _preview(client, url, fields):
    return client.post(url, {**fields, "action": "preview"})


def _confirm(client, url, fields):
    """Preview, then confirm what was previewed (the page's hidden fingerprint)."""
    preview = _preview(client, url, fields)
    assert preview.status_code == 200, preview.context["form"].errors
    return client.post(url, {**fields, "action": "confirm", "previewed": preview.context["fingerprint"]})


def _county_allocation(actor, county):
    return allocation_confirm(actor=actor, unit=county, year=YEAR, title="村级妇联工作经费",
                              rule=rule_clean(county, basis=Basis.VILLAGES, target_level=5), amount="9000.00",
                              pay_by=TODAY + dt.timedelta(days=20))


def test_the_form_offers_the_levels_below_and_a_keep_for_those_in_between(client_for, county_chair, unit):
    page = client_for(county_chair).get(reverse("funding_allocate", args=[unit("正定县").pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert [v for v, _label in form.fields["target_level"].choices] == [4, 5]
    assert "keep_4" in form.fields and "min_village_share" in form.fields and "kept" not in form.fields
    assert form["pay_by"].value() == TODAY + dt.timedelta(days=30)
    assert 'type="date"' in page.content.decode()


def test_the_preview_shows_the_plan_and_writes_nothing(client_for, county_chair, unit):
    page = _preview(client_for(county_chair), reverse("funding_allocate", args=[unit("正定县").pk]),
                    _fields(keep_4="10"))
    assert page.status_code == 200
    view = page.context["view"]
    assert [(r["name"], r["amount"], r["kept"], r["below"]) for r in view["rows"]] == [
        ("正定镇", Decimal("6000.00"), Decimal("600.00"), 2), ("新安镇", Decimal("3000.00"), Decimal("300.00"), 1)]
    assert view["adds_up"] and view["cascade"] and view["village_share"] == "90.00%"
    html = page.content.decode()
    assert "各单位合计9000.00元，与分配金额一致" in html and "90.00%" in html and "确认下达" in html
    assert f'value="{PAY_BY}"' in html and 'value="10"' in html  # the dates and percentages typed come back as typed
    assert not Allocation.objects.exists()


def test_a_preview_by_htmx_swaps_the_form_and_plan_in_place(client_for, county_chair, unit):
    client = client_for(county_chair)
    url = reverse("funding_allocate", args=[unit("正定县").pk])
    page = client.post(url, {**_fields(), "action": "preview"}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html and html.startswith('<div id="allocate">')
    assert "各单位合计9000.00元" in html
    refused = client.post(url, {**_fields(amount="9000.001")}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "最多精确到分" in refused.content.decode()  # htmx swaps no 4xx answer


def test_a_cascade_below_the_minimum_village_share_is_refused_in_the_form(client_for, county_chair, unit):
    page = _preview(client_for(county_chair), reverse("funding_allocate", args=[unit("正定县").pk]),
                    _fields(keep_4="65", min_village_share="40"))
    assert page.status_code == 400
    html = page.content.decode()
    assert "到达村(社区)一级的经费只占总额的35.0%" in html and "低于规定的最低40%" in html
    assert 'value="65"' in html and 'value="村级妇联工作经费"' in html  # what she typed is kept
    assert page.context["view"] is None


@pytest.mark.parametrize("fields, says", [
    ({"amount": "12.345"}, "最多精确到分"), ({"amount": "-1"}, "要大于零"), ({"basis": "fixed", "amount": ""},
                                                                             "请填写每个村(社区)妇联的金额"),
    ({"floor_per_village": "5000"}, "不够每个村(社区)妇联的保底金额"), ({"keep_4": "120"}, "0到100之间"),
    ({"care_weight": "2", "basis": "villages"}, "只用于按人数分配"), ({"target_level": "4", "keep_4": "5"},
                                                                      "只有本级和目标层级之间"),
])
def test_a_bad_rule_says_what_to_change(client_for, county_chair, unit, fields, says):
    page = _preview(client_for(county_chair), reverse("funding_allocate", args=[unit("正定县").pk]),
                    _fields(**fields))
    assert page.status_code == 400 and says in page.content.decode()


def test_a_fixed_amount_per_village_needs_no_amount(client_for, county_chair, unit):
    page = _preview(client_for(county_chair), reverse("funding_allocate", args=[unit("正定县").pk]),
                    _fields(basis="fixed", amount="", per_village="2000"))
    assert page.status_code == 200 and page.context["view"]["plan"].amount == Decimal("6000.00")


def test_confirming_writes_the_previewed_plan_once(client_for, county_chair, unit):
    client = client_for(county_chair)
    url = reverse("funding_allocate", args=[unit("正定县").pk])
    done = _confirm(client, url, _fields())
    allocation = Allocation.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("funding_allocation", args=[allocation.pk])
    assert allocation.amount == Decimal("9000.00") and allocation.shares.filter(level=5).count() == 3
    again = client.post(url, {**_fields(), "action": "confirm", "previewed": done.wsgi_request.POST["previewed"]})
    assert again.status_code == 302 and Allocation.objects.count() == 1  # a double tap
    assert "已下达“村级妇联工作经费”，共9000.00元" in client.get(done["Location"]).content.decode()


def test_a_plan_changed_since_its_preview_is_shown_again_not_confirmed(client_for, county_chair, unit):
    client = client_for(county_chair)
    url = reverse("funding_allocate", args=[unit("正定县").pk])
    preview = _preview(client, url, _fields())
    changed = client.post(url, {**_fields(amount="12000"), "action": "confirm",
                                "previewed": preview.context["fingerprint"]})
    assert changed.status_code == 200 and "方案有改动" in changed.content.decode()
    assert changed.context["view"]["plan"].amount == Decimal("12000.00")
    assert not Allocation.objects.exists()
    blind = client.post(url, {**_fields(), "action": "confirm"})  # never previewed
    assert "方案有改动" in blind.content.decode() and not Allocation.objects.exists()


def test_staff_preview_but_only_a_leader_confirms(client_for, unit):
    staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])
    client = client_for(staff)
    url = reverse("funding_allocate", args=[unit("正定县").pk])
    preview = _preview(client, url, _fields())
    html = preview.content.decode()
    assert preview.status_code == 200 and "各单位合计9000.00元" in html
    assert 'value="confirm"' not in html and "确认下达需要本单位或上级的主席、副主席" in html
    refused = client.post(url, {**_fields(), "action": "confirm", "previewed": preview.context["fingerprint"]})
    assert refused.status_code == 403 and "只有本单位或上级的主席、副主席可以确认下达" in refused.content.decode()
    assert not Allocation.objects.exists()


def test_a_share_is_split_on_keeping_a_part(client_for, city_chair, county_chair, unit):
    city = allocation_confirm(actor=city_chair, unit=unit("石家庄市"), year=YEAR, title="县级经费",
                              rule=rule_clean(unit("石家庄市"), basis=Basis.EQUAL), amount="20000.00",
                              pay_by=TODAY + dt.timedelta(days=30))
    share = city.shares.get(unit=unit("正定县"))
    client = client_for(county_chair)
    url = reverse("funding_share_split", args=[share.pk])
    page = client.get(url)
    assert page.status_code == 200 and "10000.00" in page.content.decode()
    form = page.context["form"]
    assert "kept" in form.fields and "amount" not in form.fields and "min_village_share" not in form.fields
    fields = {"title": "到村", "basis": Basis.VILLAGES, "target_level": "5", "kept": "1000", "pay_by": PAY_BY,
              "client_token": "tok-s1"}
    too_much = _preview(client, url, {**fields, "kept": "20000"})
    assert too_much.status_code == 400 and "留用金额不能超过分到的金额" in too_much.content.decode()
    done = _confirm(client, url, fields)
    assert done.status_code == 302
    split = Allocation.objects.get(from_share=share)
    assert split.amount == Decimal("9000.00") and split.kept == Decimal("1000.00") and split.root == city
    assert split.year == YEAR
    second = _preview(client, url, {**fields, "client_token": "tok-s2"})
    assert second.status_code == 400 and "这笔份额已经分配过了" in second.content.decode()


def test_the_allocation_page_drills_down_and_pays_each_share_once(client_for, county_chair, unit):
    allocation = _county_allocation(county_chair, unit("正定县"))
    client = client_for(county_chair)
    url = reverse("funding_allocation", args=[allocation.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "按村(社区)妇联个数" in html and "100.00%" in html
    assert [s.unit.name for s in page.context["page"].object_list] == ["正定镇", "新安镇"]
    assert page.context["rollup"] == {"total": 3, "done": 0}  # the dispatch to its three villages
    assert reverse("funding_allocation_pay", args=[allocation.pk]) in html
    paid = client.post(reverse("funding_allocation_pay", args=[allocation.pk]), {"on_date": TODAY.isoformat()},
                       follow=True)
    assert "已按分配拨付给2个单位" in paid.content.decode()
    assert "超出已到账经费" in paid.content.decode()  # the county had received nothing
    again = client.post(reverse("funding_allocation_pay", args=[allocation.pk]), {"on_date": TODAY.isoformat()},
                        follow=True)
    assert "没有待拨付的份额" in again.content.decode()
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT).count() == 2

    township = allocation.shares.get(unit=unit("正定镇"))
    below = client.get(url, {"under": township.pk})
    assert [s.unit.name for s in below.context["page"].object_list] == ["恒东社区", "张家庄村"]
    assert reverse("funding_share_pay", args=[township.pk]) in below.content.decode()
    done = client.post(reverse("funding_share_pay", args=[township.pk]), {"on_date": TODAY.isoformat()})
    assert done["Location"] == url + f"?under={township.pk}"
    assert Share.objects.get(allocation=allocation, unit=unit("恒东社区")).paid == Decimal("3000.00")
    after = client.get(url, {"under": township.pk}).content.decode()
    assert reverse("funding_share_pay", args=[township.pk]) not in after  # nothing left to pay


def test_a_township_cadre_pays_her_villages_from_her_own_page(client_for, county_chair, unit):
    allocation = _county_allocation(county_chair, unit("正定县"))
    shares_pay(actor=county_chair, unit=unit("正定县"), allocation=allocation, on_date=TODAY)
    cadre = UserFactory(username="town-cadre", unit=unit("正定镇"), roles=[Role.STAFF])
    township = allocation.shares.get(unit=unit("正定镇"))
    client = client_for(cadre)
    assert client.get(reverse("funding_allocation", args=[allocation.pk])).status_code == 404  # the county's
    done = client.post(reverse("funding_share_pay", args=[township.pk]), {"on_date": TODAY.isoformat()})
    assert done["Location"] == reverse("funding_unit", args=[unit("正定镇").pk]) + f"?year={YEAR}"
    assert Entry.objects.filter(kind=EntryKind.DISBURSEMENT, unit=unit("正定镇")).count() == 2


def test_a_large_plan_shows_its_top_units_only(client_for, county_chair, unit, monkeypatch):
    monkeypatch.setattr(views_allocations, "TOP_ROWS", 1)
    page = _preview(client_for(county_chair), reverse("funding_allocate", args=[unit("正定县").pk]), _fields())
    assert len(page.context["view"]["rows"]) == 1 and "另有1个单位" in page.content.decode()


def test_a_sibling_county_gets_404_on_every_url_of_an_allocation(client_for, county_chair, sibling_county_cadre,
                                                                   unit):
    allocation = _county_allocation(county_chair, unit("正定县"))
    share = allocation.shares.get(unit=unit("正定镇"))
    client = client_for(sibling_county_cadre)
    assert client.get(reverse("funding_allocation", args=[allocation.pk])).status_code == 404
    assert client.get(reverse("funding_allocation", args=[allocation.pk]), {"under": share.pk}).status_code == 404
    assert client.post(reverse("funding_allocation_pay", args=[allocation.pk]),
                       {"on_date": TODAY.isoformat()}).status_code == 404
    assert client.get(reverse("funding_share_split", args=[share.pk])).status_code == 404
    assert client.post(reverse("funding_share_split", args=[share.pk]), _fields()).status_code == 404
    assert client.post(reverse("funding_share_pay", args=[share.pk]), {"on_date": TODAY.isoformat()}).status_code == 404
    assert client.post(reverse("funding_allocate", args=[unit("正定县").pk]),
                       {**_fields(), "action": "preview"}).status_code == 404
    assert not Entry.objects.exists()


def test_a_village_has_nothing_to_allocate_to(client_for, village_cadre, unit):
    assert client_for(village_cadre).get(reverse("funding_allocate", args=[unit("恒东社区").pk])).status_code == 404


@pytest.mark.parametrize("under", ["x", "²", "-1", "9" * 30])
def test_a_bad_under_is_a_400(client_for, county_chair, unit, under):
    allocation = _county_allocation(county_chair, unit("正定县"))
    page = client_for(county_chair).get(reverse("funding_allocation", args=[allocation.pk]), {"under": under})
    assert page.status_code == 400


def test_a_share_of_another_allocation_is_not_drilled_into(client_for, county_chair, unit):
    first = _county_allocation(county_chair, unit("正定县"))
    second = _county_allocation(county_chair, unit("正定县"))
    other = second.shares.get(unit=unit("正定镇"))
    page = client_for(county_chair).get(reverse("funding_allocation", args=[first.pk]), {"under": other.pk})
    assert page.status_code == 404
