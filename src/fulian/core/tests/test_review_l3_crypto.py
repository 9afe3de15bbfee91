"""Review (issue 21, R1): a sealed value no configured key opens reads as "" — but saving the record must not
write that "" over the ciphertext. A key dropped too early (before keys_rotate finished) is a mistake the
operator can undo by putting the key back; erasing the notes on the next edit is not."""

import datetime as dt

import pytest
from cryptography.fernet import Fernet

from fulian.contacts.models import ContactLog
from fulian.core import crypto
from fulian.core.fields import raw_values
from fulian.people.models import Woman

A = Fernet.generate_key().decode()
B = Fernet.generate_key().decode()
VIEWS = "她说丈夫最近常喝酒，担心孩子"


@pytest.fixture
def log(settings, unit, village_cadre):
    settings.FIELD_CIPHER = "fernet"
    settings.FIELD_ENCRYPTION_KEYS = [A]
    settings.SM4_KEYS = []
    home = unit("恒东社区")
    woman = Woman.objects.create(name="王秀兰", home_unit=home, unit_path=home.path)
    return ContactLog.objects.create(woman=woman, cadre=village_cadre, unit_path=home.path,
                                     contacted_on=dt.date(2026, 11, 2), channel="home_visit", views=VIEWS)


def _stored(pk):
    return raw_values(ContactLog, ["views"]).get(pk=pk)[1]


@pytest.mark.django_db
def test_an_unreadable_value_survives_a_save_and_a_blank_sent_back(log, settings):
    token = _stored(log.pk)
    settings.FIELD_ENCRYPTION_KEYS = [B]  # A dropped before keys_rotate ran
    again = ContactLog.objects.get(pk=log.pk)
    assert again.views == ""  # every reader sees a blank, as before
    again.help_given = "送去了米面油"
    again.save()  # a whole-record save
    assert _stored(log.pk) == token
    again.views = ""  # the edit form sends the blank it was shown back
    again.save(update_fields=["views", "help_given"])
    assert _stored(log.pk) == token
    settings.FIELD_ENCRYPTION_KEYS = [B, A]  # the key put back: the note is there
    assert ContactLog.objects.get(pk=log.pk).views == VIEWS
    assert crypto.is_token(_stored(log.pk))


@pytest.mark.django_db
def test_new_text_over_an_unreadable_value_is_written(log, settings):
    settings.FIELD_ENCRYPTION_KEYS = [B]
    again = ContactLog.objects.get(pk=log.pk)
    again.views = "新的记录"
    again.save(update_fields=["views"])
    assert ContactLog.objects.get(pk=log.pk).views == "新的记录"


@pytest.mark.django_db
def test_unsealing_a_value_no_key_opens_stops_rather_than_blanking_it(log, settings):
    """The reversed seal migration decrypts every value back to plain text: one it cannot open must stop it (the
    operator restores the key), not be written back as ""."""
    from fulian.core.fields import open_existing

    token = _stored(log.pk)
    settings.FIELD_ENCRYPTION_KEYS = [B]
    with pytest.raises(crypto.Undecryptable):
        open_existing(ContactLog, ["views", "help_given"])
    assert _stored(log.pk) == token


def test_an_sm4_token_with_our_key_id_but_a_damaged_body_is_not_current(settings):
    """keys_rotate --check counts it unreadable (someone must look), not current."""
    import base64
    import os

    settings.FIELD_CIPHER = "sm4"
    settings.SM4_KEYS = [base64.b64encode(os.urandom(16)).decode()]
    token = crypto.encrypt("王秀兰的情况")
    assert crypto.is_current(token) and crypto.key_of(token)
    head, body = token.rsplit(".", 1)
    damaged = f"{head}.{base64.urlsafe_b64encode(os.urandom(40)).decode()}"
    assert not crypto.is_current(damaged)
    assert crypto.key_of(damaged) is None


@pytest.mark.django_db
def test_an_admin_change_of_a_sealed_field_keeps_its_text_out_of_the_audit_row(log):
    """The audit trail is plain text (searched by chairs, exported, archived): a sealed note edited through the
    admin — should a sealed model ever be registered there — goes into it as ***, like a secret."""
    from django import forms
    from django.test import RequestFactory

    from fulian.core.admin_site import AuditedAdmin, FulianAdminSite

    class LogForm(forms.ModelForm):
        class Meta:
            model = ContactLog
            fields = ["views", "channel"]

    form = LogForm({"views": "新的思想动态", "channel": "phone"}, instance=log)
    assert form.is_valid()
    request = RequestFactory().post("/")
    AuditedAdmin(ContactLog, FulianAdminSite()).construct_change_message(request, form, None)
    assert request._audit_values["views"] == ["***", "***"]
    assert "新的思想动态" not in str(request._audit_values) and VIEWS not in str(request._audit_values)
