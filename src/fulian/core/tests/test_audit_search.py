"""操作审计: a chair searches the audit of her subtree and nothing else; filters, paging, 400s, and the search and
export are themselves audited."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.core.audit import audit_record, read_record
from fulian.core.context import Origin, reset_origin, set_origin
from fulian.core.menu import menu_for
from fulian.core.models import AuditEvent
from fulian.core.policy import Role

T0 = dt.datetime(2026, 3, 8, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


@pytest.fixture
def township_chair(unit):
    return UserFactory(username="township-chair", unit=unit("正定镇"), roles=[Role.CHAIR])


@pytest.fixture
def rows(unit, county_chair, village_cadre, sibling_county_cadre):
    """One row at the county, one in a village under it, one in the county next door, one without a unit."""
    audit_record(actor=county_chair, action="account.update", now=T0, changes={"roles": ["['staff']", "['chair']"]})
    audit_record(actor=village_cadre, action="woman.export", now=T0 + dt.timedelta(minutes=1),
                 changes={"file": "妇女名册.xlsx"})
    audit_record(actor=sibling_county_cadre, action="case.export", now=T0 + dt.timedelta(minutes=2))
    audit_record(actor=None, action="system.job", now=T0 + dt.timedelta(minutes=3))


def shown(client, **params):
    answer = client.get(reverse("audit_search"), params)
    assert answer.status_code == 200, answer.content.decode()[:500]
    # her own sign-in (force_login) and earlier searches are rows too; the tests look at the others
    return [(r["actor"], r["action"]) for r in answer.context["rows"]
            if not r["action"].startswith(("auth.", "audit."))]


@pytest.mark.django_db
def test_a_county_chair_sees_her_subtree_newest_first(client_for, county_chair, rows):
    assert shown(client_for(county_chair)) == [("village-cadre", "woman.export"), ("county-chair", "account.update")]


@pytest.mark.django_db
def test_a_township_chair_never_sees_the_countys_rows(client_for, township_chair, rows):
    assert shown(client_for(township_chair)) == [("village-cadre", "woman.export")]


@pytest.mark.django_db
def test_the_chair_of_the_county_next_door_sees_none_of_ours(client_for, sibling_county_cadre, rows):
    assert shown(client_for(sibling_county_cadre)) == [("sibling-cadre", "case.export")]


@pytest.mark.django_db
def test_rows_without_a_unit_are_for_the_superuser_only(client_for, province_admin, rows):
    assert ("system", "system.job") not in shown(client_for(province_admin))
    top = UserFactory(username="platform", is_superuser=True, unit=None, roles=[])
    assert ("system", "system.job") in shown(client_for(top))


@pytest.mark.django_db
def test_a_cadre_without_audit_in_scope_gets_404_and_no_menu_entry(client_for, village_cadre, county_chair, rows):
    assert client_for(village_cadre).get(reverse("audit_search")).status_code == 404
    assert client_for(village_cadre).get(reverse("audit_export")).status_code == 404
    entries = lambda user: [e["key"] for e in menu_for(user)["first"] + menu_for(user)["more"]]  # noqa: E731
    assert "audit" not in entries(village_cadre)
    assert "audit" in entries(county_chair)


@pytest.mark.django_db
def test_signed_out_is_sent_to_sign_in(client, rows):
    assert client.get(reverse("audit_search")).status_code == 302


@pytest.mark.django_db
def test_filters_actor_action_group_prefix_unit_and_address(client_for, county_chair, village_cadre, rows):
    client = client_for(county_chair)
    assert shown(client, actor="county-chair") == [("county-chair", "account.update")]
    assert shown(client, action="woman.export") == [("village-cadre", "woman.export")]
    assert shown(client, action="group:export") == [("village-cadre", "woman.export")]
    assert shown(client, action="group:account") == [("county-chair", "account.update")]
    assert shown(client, action_prefix="account.") == [("county-chair", "account.update")]
    assert shown(client, unit="130123100001") == [("village-cadre", "woman.export")]  # 恒东社区
    assert shown(client, unit="130125000000") == []  # the county next door: her scope still applies
    assert shown(client, object_type="accounts.user") == []
    token = set_origin(Origin(ip="10.1.2.3", channel="web"))
    try:
        audit_record(actor=village_cadre, action="woman.update")
    finally:
        reset_origin(token)
    assert shown(client, ip="10.1.2.3") == [("village-cadre", "woman.update")]


@pytest.mark.django_db
def test_dates_are_local_days(client_for, county_chair):
    audit_record(actor=county_chair, action="x.before", now=dt.datetime(2026, 3, 7, 15, 59, tzinfo=dt.UTC))
    audit_record(actor=county_chair, action="x.after", now=dt.datetime(2026, 3, 7, 16, 0, tzinfo=dt.UTC))
    client = client_for(county_chair)
    assert [a for _u, a in shown(client, since="2026-03-08", action_prefix="x.")] == ["x.after"]
    assert [a for _u, a in shown(client, until="2026-03-07", action_prefix="x.")] == ["x.before"]
    page = client.get(reverse("audit_search"), {"since": "2026-03-08"}).content.decode()
    assert 'value="2026-03-08"' in page and 'type="date"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("params", [
    {"since": "2026-13-01"}, {"since": "2026-03-09", "until": "2026-03-08"}, {"unit": "abc"},
    {"unit": "999999999999"}, {"ip": "not-an-address"}, {"action": "no.such"}, {"action_prefix": "DROP TABLE"},
    {"object_type": "nope.nope"}, {"tab": "other"}, {"page": "x"}, {"page": "²"},
])
def test_a_bad_parameter_is_a_400_with_a_message(client_for, county_chair, params):
    answer = client_for(county_chair).get(reverse("audit_search"), params)
    assert answer.status_code == 400
    assert not AuditEvent.objects.filter(action="audit.search").exists()


@pytest.mark.django_db
def test_a_bad_field_says_which_and_why(client_for, county_chair):
    html = client_for(county_chair).get(reverse("audit_search"), {"unit": "999999999999"}).content.decode()
    assert "没有这个组织代码" in html


@pytest.mark.django_db
def test_pages_of_fifty(client_for, county_chair):
    for minute in range(55):
        audit_record(actor=county_chair, action=f"x.n{minute:02d}", now=T0 + dt.timedelta(minutes=minute))
    client = client_for(county_chair)
    first = shown(client, action_prefix="x.")
    second = shown(client, action_prefix="x.", page=2)
    assert len(first) == 50 and first[0][1] == "x.n54" and [a for _u, a in second] == [f"x.n{m:02d}"
                                                                                        for m in range(4, -1, -1)]


@pytest.mark.django_db
def test_each_search_writes_one_audit_row(client_for, county_chair, rows):
    client = client_for(county_chair)
    shown(client, actor="village-cadre")
    shown(client, actor="village-cadre", page=1)
    searches = AuditEvent.objects.filter(action="audit.search", actor=county_chair)
    assert searches.count() == 2
    assert searches.first().changes == {"tab": "events", "actor": "village-cadre", "page": 1, "rows": 1}


@pytest.mark.django_db
def test_the_read_log_tab(client_for, county_chair, village_cadre, sibling_county_cadre, unit):
    read_record(actor=village_cadre, obj=village_cadre, purpose="id_number")
    read_record(actor=sibling_county_cadre, obj=sibling_county_cadre, purpose="view")
    read_record(actor=AnonymousUser(), obj=village_cadre, purpose="tracking")
    answer = client_for(county_chair).get(reverse("audit_search"), {"tab": "reads"})
    assert [(r["actor"], r["summary"]) for r in answer.context["rows"]] == [("anonymous", "tracking"),
                                                                            ("village-cadre", "id_number")]
    assert "查看记录" in answer.content.decode()
    assert AuditEvent.objects.get(action="audit.search").changes["tab"] == "reads"


@pytest.mark.django_db
def test_export_is_the_search_as_text_and_is_audited(client_for, county_chair, village_cadre, unit):
    audit_record(actor=village_cadre, action="woman.update", changes={"name": ["=1+2", "王秀兰"]})
    answer = client_for(county_chair).get(reverse("audit_export"), {"actor": "village-cadre"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("时间", "操作人", "操作") and len(lines) == 2
    assert lines[1][1:3] == ("village-cadre", "woman.update") and lines[1][7] == "恒东社区"
    assert sheet.cell(row=2, column=12).data_type == "s"  # the changes are text, never a formula
    row = AuditEvent.objects.get(action="audit.export")
    assert (row.actor, row.changes["actor"], row.changes["rows"]) == (county_chair, "village-cadre", 1)


@pytest.mark.django_db
def test_export_with_a_bad_parameter_is_a_400(client_for, county_chair):
    assert client_for(county_chair).get(reverse("audit_export"), {"since": "x"}).status_code == 400
    assert not AuditEvent.objects.filter(action="audit.export").exists()


@pytest.mark.django_db
def test_the_top_of_the_tree_sees_the_seal_chain_and_downloads_a_digest(client_for, province_admin, county_chair,
                                                                       rows):
    from fulian.core.sealing import seal_all

    seal_all()
    page = client_for(province_admin).get(reverse("audit_search")).content.decode()
    assert 'id="audit-seal"' in page and "最近封存" in page
    assert 'id="audit-seal"' not in client_for(county_chair).get(reverse("audit_search")).content.decode()
    answer = client_for(province_admin).get(reverse("audit_digest"), {"day": timezone.localdate().isoformat()})
    assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
    assert answer.json()["kind"] == "fulian-audit-digest" and answer.json()["hash"]
    assert AuditEvent.objects.filter(action="audit.digest", actor=province_admin).exists()


@pytest.mark.django_db
def test_the_digest_is_not_for_a_county_and_a_bad_day_is_a_400(client_for, province_admin, county_chair):
    assert client_for(county_chair).get(reverse("audit_digest")).status_code == 404
    assert client_for(province_admin).get(reverse("audit_digest"), {"day": "2026-02-30"}).status_code == 400
