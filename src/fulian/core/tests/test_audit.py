import pytest
from django.db import DatabaseError, transaction

from fulian.core.audit import audit_record, read_record
from fulian.core.context import Origin, reset_origin, set_origin
from fulian.core.models import AuditEvent, ReadLog


@pytest.mark.django_db
def test_audit_rows_record_actor_object_and_origin(county_chair, unit):
    token = set_origin(Origin(ip="10.1.2.3", user_agent="phone", channel="web"))
    try:
        event = audit_record(actor=county_chair, action="unit.test", obj=unit("正定县"), changes={"a": [1, 2]})
    finally:
        reset_origin(token)
    event.refresh_from_db()
    assert (event.actor, event.object_type, event.object_repr, event.ip, event.channel) == (
        county_chair, "orgs.unit", "正定县", "10.1.2.3", "web")


@pytest.mark.django_db
def test_audit_trail_refuses_update_and_delete_in_the_database(county_chair):
    event = audit_record(actor=county_chair, action="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


@pytest.mark.django_db
def test_read_log_is_append_only_too(county_chair, unit):
    row = read_record(actor=county_chair, obj=unit("正定县"), purpose="case review")
    assert row.object_id == str(unit("正定县").pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReadLog.objects.filter(pk=row.pk).update(purpose="nothing")


@pytest.mark.django_db
def test_no_page_edits_the_audit_trail(client_for, province_admin, county_chair):
    event = audit_record(actor=county_chair, action="x")
    client = client_for(province_admin)
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200  # can read
    client.post(f"/admin/core/auditevent/{event.pk}/change/", {"action": "forged"})
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "x"
