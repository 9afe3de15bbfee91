"""GET /api/v1/audit/events and /audit/reads: the caller's subtree only, the page's filters, paginated; a cadre
without audit rows in scope gets an empty list (like /accounts), a bad filter a 400."""

import datetime as dt

import pytest

from fulian.core.audit import audit_record, read_record
from fulian.core.models import AuditEvent

T0 = dt.datetime(2026, 3, 8, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def rows(county_chair, village_cadre, sibling_county_cadre):
    audit_record(actor=village_cadre, action="woman.export", now=T0, changes={"file": "妇女名册.xlsx"})
    audit_record(actor=sibling_county_cadre, action="case.export", now=T0)
    read_record(actor=village_cadre, obj=village_cadre, purpose="id_number", now=T0)
    read_record(actor=sibling_county_cadre, obj=sibling_county_cadre, purpose="view", now=T0)


def listed(client, path, **params):
    answer = client.get(f"/api/v1/audit/{path}", params)
    assert answer.status_code == 200, answer.content
    return answer.json()


def ours(body):
    """The rows other than sign-ins and searches (the token's creation and earlier calls write some)."""
    return [r for r in body["items"] if not r.get("action", "").startswith(("audit.", "token.", "auth."))]


@pytest.mark.django_db
def test_a_chair_lists_the_events_of_her_subtree(api_for, county_chair, rows):
    body = listed(api_for(county_chair), "events")
    [row] = ours(body)
    assert (row["actor_label"], row["action"], row["action_label"]) == ("village-cadre", "woman.export", "导出妇女名册")
    assert (row["unit_code"], row["unit_name"], row["changes"]) == ("130123100001", "恒东社区",
                                                                     {"file": "妇女名册.xlsx"})
    assert {"count", "count_capped", "items"} <= set(body)


@pytest.mark.django_db
def test_a_chair_lists_the_reads_of_her_subtree(api_for, county_chair, rows):
    body = listed(api_for(county_chair), "reads")
    assert [(r["actor_label"], r["purpose"], r["unit_name"]) for r in body["items"]] == [
        ("village-cadre", "id_number", "恒东社区")]


@pytest.mark.django_db
def test_the_chair_of_another_county_sees_none_of_ours(api_for, sibling_county_cadre, rows):
    events = listed(api_for(sibling_county_cadre), "events")
    assert [r["actor_label"] for r in ours(events)] == ["sibling-cadre"]
    assert all(r["unit_code"].startswith("130125") for r in events["items"])
    assert [r["actor_label"] for r in listed(api_for(sibling_county_cadre), "reads")["items"]] == ["sibling-cadre"]


@pytest.mark.django_db
def test_a_cadre_without_audit_in_scope_gets_an_empty_list_and_writes_no_search(api_for, village_cadre, rows):
    client = api_for(village_cadre)
    assert listed(client, "events") == {"items": [], "count": 0, "count_capped": False}
    assert listed(client, "reads")["items"] == []
    assert not AuditEvent.objects.filter(action="audit.search").exists()


@pytest.mark.django_db
def test_filters_and_pagination(api_for, county_chair, village_cadre, rows):
    client = api_for(county_chair)
    for n in range(3):
        audit_record(actor=village_cadre, action=f"x.n{n}", now=T0 + dt.timedelta(minutes=n + 1))
    assert [r["action"] for r in listed(client, "events", action_prefix="x.", limit=2)["items"]] == ["x.n2", "x.n1"]
    assert [r["action"] for r in listed(client, "events", action_prefix="x.", limit=2, offset=2)["items"]] == ["x.n0"]
    assert listed(client, "events", action_prefix="x.")["count"] == 3
    assert [r["action"] for r in listed(client, "events", action="group:export")["items"]] == ["woman.export"]
    assert [r["action"] for r in ours(listed(client, "events", since="2026-03-08", until="2026-03-08",
                                            actor="village-cadre"))] == ["x.n2", "x.n1", "x.n0", "woman.export"]
    assert listed(client, "events", until="2026-03-07", actor="village-cadre")["items"] == []
    assert listed(client, "reads", unit="130123101000")["items"] == []  # 新安镇: no reads there


@pytest.mark.django_db
def test_each_list_call_writes_one_search_row(api_for, county_chair, rows):
    client = api_for(county_chair)
    listed(client, "events", actor="village-cadre")
    listed(client, "reads")
    searches = AuditEvent.objects.filter(action="audit.search", actor=county_chair).order_by("id")
    assert [(s.changes["tab"], s.channel) for s in searches] == [("events", "api"), ("reads", "api")]
    assert searches[0].changes["actor"] == "village-cadre"


@pytest.mark.django_db
@pytest.mark.parametrize("path,params", [
    ("events", {"since": "2026-02-30"}), ("events", {"unit": "999999999999"}), ("events", {"ip": "x"}),
    ("events", {"action": "no.such"}), ("reads", {"since": "2026-03-09", "until": "2026-03-08"}),
    ("events", {"object_type": "nope"}),
])
def test_a_bad_filter_is_a_400_in_the_shared_shape(api_for, county_chair, path, params):
    answer = api_for(county_chair).get(f"/api/v1/audit/{path}", params)
    assert answer.status_code == 400
    assert answer.json()["detail"]
