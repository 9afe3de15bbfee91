"""Encryption at rest for personal identifiers, and keyed hashes to find them without decrypting."""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"fulian:{purpose}:{settings.SECRET_KEY}".encode()).digest()


@cache
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS or [base64.urlsafe_b64encode(_derived("field-encryption")).decode()]
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


@cache
def _hash_key() -> bytes:
    return settings.ID_HASH_KEY.encode() if settings.ID_HASH_KEY else _derived("id-hash")


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def keyed_hash(text: str) -> str:
    """HMAC-SHA256: equal inputs give equal hashes, but the hash cannot be reversed without the key."""
    return hmac.new(_hash_key(), text.encode(), hashlib.sha256).hexdigest()
