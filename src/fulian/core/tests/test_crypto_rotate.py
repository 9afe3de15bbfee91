"""Sealed fields (core.fields) and `manage.py keys_rotate`: ciphertext in the database, plain text above it, and
every encrypted column moved under the newest key — within Fernet, and from Fernet to SM4."""

import base64
import datetime as dt
import io
import os

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.utils import timezone

from fulian.care.models import CareMembership, Child
from fulian.cases.models import Case, TimelineEntry
from fulian.contacts.models import ContactLog, Need
from fulian.core import crypto
from fulian.core.fields import open_existing, raw_values, seal_existing, write_raw
from fulian.people.models import Family, Woman

A = Fernet.generate_key().decode()
B = Fernet.generate_key().decode()
S1 = base64.b64encode(os.urandom(16)).decode()

VIEWS = "她说丈夫最近常喝酒，担心孩子"
NEED = "想找一份离家近的工作"
NOTE = "第二次约谈，她同意去申请保护令"
OUTCOME = "法院已发出人身安全保护令"
ID_NUMBER = "130123199001011234"
SCHOOL = "恒东小学三年级"


@pytest.fixture
def keys(settings):
    settings.FIELD_CIPHER = "fernet"
    settings.FIELD_ENCRYPTION_KEYS = [A]
    settings.SM4_KEYS = []
    return settings


@pytest.fixture
def rows(keys, unit, village_cadre):
    """One of each kind of encrypted value, written under key A."""
    home = unit("恒东社区")
    now = timezone.now()
    woman = Woman.objects.create(name="王秀兰", home_unit=home, unit_path=home.path,
                                 id_encrypted=crypto.encrypt(ID_NUMBER), id_hash=crypto.keyed_hash(ID_NUMBER))
    log = ContactLog.objects.create(woman=woman, cadre=village_cadre, unit_path=home.path,
                                    contacted_on=dt.date(2026, 11, 2), channel="home_visit", views=VIEWS)
    need = Need.objects.create(contact_log=log, woman=woman, unit_path=home.path, category="employment",
                               description=NEED)
    case = Case.objects.create(tracking_code="ABCDEFGHJK", kind="dv", urgency="urgent", source="walk_in", unit=home,
                               unit_path=home.path, home_unit=home, sealed=crypto.encrypt('{"description": "x"}'),
                               first_action_due=now, resolve_due=now, created_at=now, outcome=OUTCOME)
    entry = TimelineEntry.objects.create(case=case, at=now, action="note", text=NOTE)
    family = Family.objects.create(unit=home, unit_path=home.path, name="王秀兰家", created_at=now,
                                   updated_at=now)
    child = Child.objects.create(family=family, unit_path=home.path, name="王小雨", sex="f",
                                 birth_date=dt.date(2017, 5, 1), school=SCHOOL, guardian_name="王秀兰",
                                 guardian_relation="母亲", situation="left_behind", consent_by="王秀兰",
                                 consent_on=dt.date(2026, 1, 5), created_at=now)
    membership = CareMembership.objects.create(woman=woman, unit_path=home.path, group="single_mother", note="",
                                               start_on=dt.date(2026, 1, 1), created_at=now)
    return {"woman": woman, "log": log, "need": need, "case": case, "entry": entry, "child": child,
            "membership": membership}


def stored(model, pk, name) -> str:
    return raw_values(model, [name]).get(pk=pk)[1]


def everything_reads(rows):
    assert Woman.objects.get(pk=rows["woman"].pk).id_encrypted and \
        crypto.decrypt(Woman.objects.get(pk=rows["woman"].pk).id_encrypted) == ID_NUMBER
    assert ContactLog.objects.get(pk=rows["log"].pk).views == VIEWS
    assert Need.objects.values_list("description", flat=True).get(pk=rows["need"].pk) == NEED
    case = Case.objects.get(pk=rows["case"].pk)
    assert case.outcome == OUTCOME and crypto.decrypt(case.sealed) == '{"description": "x"}'
    assert TimelineEntry.objects.get(pk=rows["entry"].pk).text == NOTE
    assert Child.objects.get(pk=rows["child"].pk).school == SCHOOL


def rotate(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("keys_rotate", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


@pytest.mark.django_db
def test_the_database_holds_ciphertext_and_the_models_plain_text(rows):
    for model, pk, name, plain in [(ContactLog, rows["log"].pk, "views", VIEWS),
                                   (Need, rows["need"].pk, "description", NEED),
                                   (Case, rows["case"].pk, "outcome", OUTCOME),
                                   (TimelineEntry, rows["entry"].pk, "text", NOTE),
                                   (Child, rows["child"].pk, "school", SCHOOL)]:
        raw = stored(model, pk, name)
        assert crypto.is_token(raw) and plain not in raw, (model, name)
    assert stored(CareMembership, rows["membership"].pk, "note") == ""  # blank stays blank
    assert ID_NUMBER not in stored(Woman, rows["woman"].pk, "id_encrypted")
    everything_reads(rows)


@pytest.mark.django_db
def test_a_sealed_field_is_never_searched(rows):
    with pytest.raises(FieldError):
        list(ContactLog.objects.filter(views__icontains="丈夫"))
    with pytest.raises(FieldError):
        list(ContactLog.objects.filter(views=VIEWS))
    assert ContactLog.objects.exclude(views="").count() == 1  # empty or not may still be asked
    assert CareMembership.objects.filter(note="").count() == 1


@pytest.mark.django_db
def test_rotation_from_a_to_b_then_dropping_a(rows, keys):
    keys.FIELD_ENCRYPTION_KEYS = [B, A]
    code, out = rotate("--check")
    assert code == 1 and "stale 7" in out  # id, case description, views, need, outcome, note, school
    code, out = rotate("--batch", "1")
    assert code == 0 and "rotated 7" in out
    assert rotate("--check")[0] == 0
    before = stored(ContactLog, rows["log"].pk, "views")
    assert "rotated 0" in rotate()[1]  # idempotent: nothing written twice
    assert stored(ContactLog, rows["log"].pk, "views") == before
    keys.FIELD_ENCRYPTION_KEYS = [B]
    everything_reads(rows)
    assert rotate("--check")[0] == 0


@pytest.mark.django_db
def test_one_table_can_be_resumed_after_a_row(rows, keys):
    keys.FIELD_ENCRYPTION_KEYS = [B, A]
    code, out = rotate("--only", "contacts.ContactLog", "--after", str(rows["log"].pk))
    assert code == 0 and "contacts.ContactLog" in out and "people.Woman" not in out and "rotated 0" in out
    code, out = rotate("--only", "contacts.ContactLog")
    assert "rotated 1" in out
    assert not crypto.is_current(stored(Woman, rows["woman"].pk, "id_encrypted"))  # other tables untouched
    with pytest.raises(CommandError):
        call_command("keys_rotate", "--after", "5")


@pytest.mark.django_db
def test_moving_from_fernet_to_sm4(rows, keys):
    keys.FIELD_CIPHER = "sm4"
    keys.SM4_KEYS = [S1]
    assert rotate("--check")[0] == 1
    everything_reads(rows)  # both ciphers read while moving
    assert rotate()[0] == 0
    for model, pk, name in [(ContactLog, rows["log"].pk, "views"), (Case, rows["case"].pk, "sealed"),
                            (Woman, rows["woman"].pk, "id_encrypted"), (Child, rows["child"].pk, "school")]:
        assert stored(model, pk, name).startswith("sm4."), (model, name)
    keys.FIELD_ENCRYPTION_KEYS = [B]  # the Fernet key A gone
    everything_reads(rows)
    code, out = rotate("--check")
    assert code == 0 and "stale 0" in out and "unreadable 0" in out


@pytest.mark.django_db
def test_a_value_no_key_opens_is_reported_and_kept(rows, keys):
    keys.FIELD_ENCRYPTION_KEYS = [B]  # A dropped before rotating: a mistake
    code, out = rotate()
    assert "unreadable 7" in out
    assert stored(ContactLog, rows["log"].pk, "views") != ""  # kept for when A is restored
    keys.FIELD_ENCRYPTION_KEYS = [B, A]
    assert rotate()[0] == 0
    everything_reads(rows)


@pytest.mark.django_db
def test_rows_from_before_sealing_are_sealed_by_the_migration_helper_and_by_keys_rotate(rows, keys):
    log = rows["log"]
    write_raw(ContactLog, {log.pk: {"views": VIEWS, "help_given": "送去了米面油"}})
    assert stored(ContactLog, log.pk, "views") == VIEWS
    assert ContactLog.objects.get(pk=log.pk).help_given == "送去了米面油"  # plain reads as itself meanwhile
    assert rotate("--check")[0] == 1
    assert seal_existing(ContactLog, ["views", "help_given"]) == 1
    assert crypto.is_token(stored(ContactLog, log.pk, "help_given"))
    assert ContactLog.objects.get(pk=log.pk).help_given == "送去了米面油"
    assert open_existing(ContactLog, ["views", "help_given"]) == 1  # the reversed migration
    assert stored(ContactLog, log.pk, "views") == VIEWS
    assert "rotated 2" in rotate()[1]  # keys_rotate seals plain values too
    assert crypto.is_token(stored(ContactLog, log.pk, "views"))
