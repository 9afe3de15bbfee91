"""The cipher interface (core.crypto): Fernet today, SM4-GCM for 密评, both readable during a move between them."""

import base64
import os

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from fulian.core import crypto

A = Fernet.generate_key().decode()
B = Fernet.generate_key().decode()
S1 = base64.b64encode(os.urandom(16)).decode()
S2 = base64.b64encode(os.urandom(16)).decode()
TEXT = "丈夫酒后动手，想申请人身安全保护令"


@pytest.fixture
def fernet_a(settings):
    settings.FIELD_CIPHER = "fernet"
    settings.FIELD_ENCRYPTION_KEYS = [A]
    settings.SM4_KEYS = []
    return settings


def test_fernet_round_trip_hides_the_text_and_names_its_key(fernet_a):
    token = crypto.encrypt(TEXT)
    assert TEXT not in token and TEXT.encode().hex() not in token
    assert token.startswith(crypto.FERNET_PREFIX)
    assert crypto.decrypt(token) == TEXT
    assert crypto.encrypt(TEXT) != token  # random IV: equal texts give different tokens
    assert crypto.key_of(token) == f"fernet:{crypto.active_cipher().newest_key_id()}"
    assert crypto.is_current(token)
    assert crypto.rotate(token) == token  # nothing to do


def test_fernet_rotation_reads_old_tokens_and_writes_under_the_newest_key(fernet_a):
    old = crypto.encrypt(TEXT)
    old_key = crypto.key_of(old)
    fernet_a.FIELD_ENCRYPTION_KEYS = [B, A]
    assert crypto.decrypt(old) == TEXT
    assert not crypto.is_current(old)
    assert crypto.key_of(old) == old_key
    new = crypto.rotate(old)
    assert crypto.is_current(new) and crypto.key_of(new) != old_key
    fernet_a.FIELD_ENCRYPTION_KEYS = [B]
    assert crypto.decrypt(new) == TEXT
    assert crypto.decrypt(old) == ""  # the dropped key's tokens no longer open
    assert crypto.key_of(old) is None
    with pytest.raises(crypto.Undecryptable):
        crypto.rotate(old)  # never turned into an empty value


def test_sm4_gcm_round_trip_carries_its_key_id(fernet_a):
    fernet_a.FIELD_CIPHER = "sm4"
    fernet_a.SM4_KEYS = [S1]
    token = crypto.encrypt(TEXT)
    prefix, kid, body = token.split(".", 2)
    assert (prefix, kid) == ("sm4", crypto.active_cipher().newest_key_id())
    assert TEXT not in token and len(base64.urlsafe_b64decode(body)) == 12 + len(TEXT.encode()) + 16
    assert crypto.decrypt(token) == TEXT
    assert crypto.key_of(token) == f"sm4:{kid}"
    assert crypto.is_current(token)


def test_sm4_refuses_a_changed_token(fernet_a):
    fernet_a.FIELD_CIPHER = "sm4"
    fernet_a.SM4_KEYS = [S1, S2]
    token = crypto.encrypt(TEXT)
    prefix, kid, body = token.split(".", 2)
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[14] ^= 1
    assert crypto.decrypt(f"{prefix}.{kid}.{base64.urlsafe_b64encode(bytes(raw)).decode()}") == ""
    other = crypto.Sm4Cipher([base64.b64decode(S2)]).newest_key_id()
    assert crypto.decrypt(f"{prefix}.{other}.{body}") == ""  # the key id is bound into the tag
    assert crypto.decrypt("sm4.nokey.AAAA") == ""


def test_sm4_keys_must_be_16_bytes(fernet_a):
    fernet_a.FIELD_CIPHER = "sm4"
    fernet_a.SM4_KEYS = [base64.b64encode(os.urandom(32)).decode()]
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt(TEXT)


def test_fernet_to_sm4_reads_both_while_moving(fernet_a):
    fernet_token = crypto.encrypt(TEXT)
    fernet_a.FIELD_CIPHER = "sm4"
    fernet_a.SM4_KEYS = [S1]
    assert crypto.decrypt(fernet_token) == TEXT
    assert not crypto.is_current(fernet_token)
    sm4_token = crypto.rotate(fernet_token)
    assert sm4_token.startswith("sm4.") and crypto.is_current(sm4_token)
    fernet_a.FIELD_ENCRYPTION_KEYS = [B]  # the old Fernet key dropped
    assert crypto.decrypt(sm4_token) == TEXT


def test_sealed_text_keeps_blank_blank_and_reads_legacy_plain_text(fernet_a):
    assert crypto.seal_text("") == ""
    assert crypto.open_text("") == ""
    assert crypto.open_text("写在加密之前") == "写在加密之前"  # a row from before its field was sealed
    assert crypto.open_text(crypto.seal_text(TEXT)) == TEXT


def test_keyed_hash_is_stable_and_keyed(settings):
    settings.ID_HASH_KEY = "k1"
    first = crypto.keyed_hash("130123199001011234")
    assert first == crypto.keyed_hash("130123199001011234")
    settings.ID_HASH_KEY = "k2"
    assert crypto.keyed_hash("130123199001011234") != first
