"""Encryption at rest for personal identifiers and sealed notes, and keyed hashes to find them without decrypting.

One interface, `Cipher`, and two implementations chosen by settings.FIELD_CIPHER:

- `fernet` (today): Fernet (AES-128-CBC + HMAC-SHA256) over FIELD_ENCRYPTION_KEYS, newest first. Tokens are
  Fernet's own (`gAAAAA…`); which key made one is found by trying the keys, newest first.
- `sm4` (商用密码, for 密评): SM4 in GCM mode (an AEAD: confidentiality and integrity in one pass) from the
  `cryptography` package, keys from SM4_KEYS (base64 of 16 bytes), newest first. A token is
  `sm4.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`; the key id is a fingerprint of the key (not its place
  in the list, which changes on rotation) and is bound into the tag as associated data.

Reading always works for both kinds of token as long as their keys are configured, so moving from Fernet to SM4
is: set FIELD_CIPHER=sm4 and SM4_KEYS, keep FIELD_ENCRYPTION_KEYS, run `manage.py keys_rotate` (it re-encrypts
every value not under the newest key of the chosen cipher), then drop the Fernet keys. Rotating keys within one
cipher is the same: put the new key first, run keys_rotate, drop the old key.

`encrypt`/`decrypt` keep their old signatures (decrypt answers "" for a token no configured key opens);
`seal_text`/`open_text` are what sealed model fields (core.fields) use: blank stays blank, and a value that is not a
token (a row written before its field was sealed) reads as itself until keys_rotate seals it.
"""

import base64
import binascii
import hashlib
import hmac
import logging
import os
from functools import lru_cache
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher as _Primitive
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

log = logging.getLogger(__name__)

FERNET_PREFIX = "gAAAAA"  # version byte 0x80 and a timestamp whose high bytes are zero until 2106
SM4_PREFIX = "sm4."


class Undecryptable(ValueError):
    """No configured key opens this token (a dropped key, or a damaged value)."""


class Cipher(Protocol):
    name: str

    def owns(self, token: str) -> bool:
        """Whether the token has this cipher's shape (not whether a key of ours opens it)."""

    def encrypt(self, text: str) -> str:
        """Under the newest key."""

    def decrypt(self, token: str) -> str:
        """With whichever configured key made it; Undecryptable if none does."""

    def key_id(self, token: str) -> str | None:
        """The id of the configured key that made the token, None if none of them did."""

    def newest_key_id(self) -> str: ...


def _fingerprint(kind: str, key: bytes) -> str:
    return hashlib.sha256(f"fulian:{kind}-key-id:".encode() + key).hexdigest()[:8]


class FernetCipher:
    name = "fernet"

    def __init__(self, keys: list[bytes]):
        if not keys:
            raise ImproperlyConfigured("Fernet needs at least one key")
        self._keys = [(_fingerprint("fernet", k), Fernet(k)) for k in keys]
        self._multi = MultiFernet([f for _kid, f in self._keys])

    def owns(self, token: str) -> bool:
        return token.startswith(FERNET_PREFIX)

    def encrypt(self, text: str) -> str:
        return self._multi.encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._multi.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise Undecryptable("no Fernet key opens this token") from exc

    def key_id(self, token: str) -> str | None:
        for kid, fernet in self._keys:
            try:
                fernet.decrypt(token.encode())
            except InvalidToken:
                continue
            return kid
        return None

    def newest_key_id(self) -> str:
        return self._keys[0][0]


class Sm4Cipher:
    """SM4-GCM (GB/T 32907 block cipher, GB/T 36624 modes) with a 96-bit random nonce and a 128-bit tag."""

    name = "sm4"
    NONCE = 12
    TAG = 16

    def __init__(self, keys: list[bytes]):
        if not keys:
            raise ImproperlyConfigured("SM4 needs at least one key")
        if any(len(k) != 16 for k in keys):
            raise ImproperlyConfigured("SM4_KEYS: each key is base64 of exactly 16 bytes")
        self._keys = [(_fingerprint("sm4", k), k) for k in keys]
        self._by_id = dict(self._keys)

    def owns(self, token: str) -> bool:
        return token.startswith(SM4_PREFIX)

    def encrypt(self, text: str) -> str:
        kid, key = self._keys[0]
        header = f"{SM4_PREFIX}{kid}."
        nonce = os.urandom(self.NONCE)
        enc = _Primitive(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        enc.authenticate_additional_data(header.encode())
        body = enc.update(text.encode()) + enc.finalize()
        return header + base64.urlsafe_b64encode(nonce + body + enc.tag).decode()

    def _split(self, token: str) -> tuple[str, bytes]:
        try:
            _prefix, kid, body = token.split(".", 2)
            return kid, base64.urlsafe_b64decode(body.encode())
        except (ValueError, binascii.Error) as exc:
            raise Undecryptable("not an SM4 token") from exc

    def decrypt(self, token: str) -> str:
        kid, raw = self._split(token)
        key = self._by_id.get(kid)
        if key is None or len(raw) < self.NONCE + self.TAG:
            raise Undecryptable(f"no SM4 key {kid!r} configured" if key is None else "SM4 token too short")
        nonce, body, tag = raw[:self.NONCE], raw[self.NONCE:-self.TAG], raw[-self.TAG:]
        dec = _Primitive(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        dec.authenticate_additional_data(f"{SM4_PREFIX}{kid}.".encode())
        try:
            return (dec.update(body) + dec.finalize()).decode()
        except InvalidTag as exc:
            raise Undecryptable("SM4 tag does not match (wrong key or damaged value)") from exc

    def key_id(self, token: str) -> str | None:
        """The key id in the token's header, if that key is configured and opens it (the tag checked, as Fernet's
        key_id does): a damaged token is not "current" to keys_rotate --check, it is unreadable."""
        try:
            kid, _raw = self._split(token)
            self.decrypt(token)
        except Undecryptable:
            return None
        return kid

    def newest_key_id(self) -> str:
        return self._keys[0][0]


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"fulian:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def _b64_keys(values) -> list[bytes]:
    return [v.encode() if isinstance(v, str) else v for v in values]


@lru_cache(maxsize=8)
def _ciphers(chosen: str, fernet_keys: tuple, sm4_keys: tuple, secret: str) -> tuple[Cipher, dict[str, Cipher]]:
    """(the cipher new values are written with, every cipher that can read) for one configuration."""
    fernet = FernetCipher(_b64_keys(fernet_keys)
                          or [base64.urlsafe_b64encode(_derived("field-encryption"))])
    # without SM4_KEYS (development) a key derived from SECRET_KEY, as for Fernet
    sm4 = Sm4Cipher([base64.b64decode(k) for k in sm4_keys] or [_derived("sm4-field-encryption")[:16]])
    readers: dict[str, Cipher] = {"fernet": fernet, "sm4": sm4}
    if chosen not in readers:
        raise ImproperlyConfigured(f"FIELD_CIPHER={chosen!r}: expected fernet or sm4")
    return readers[chosen], readers


def _config() -> tuple[Cipher, dict[str, Cipher]]:
    return _ciphers(getattr(settings, "FIELD_CIPHER", "fernet") or "fernet",
                    tuple(settings.FIELD_ENCRYPTION_KEYS or ()), tuple(getattr(settings, "SM4_KEYS", None) or ()),
                    settings.SECRET_KEY)


def active_cipher() -> Cipher:
    """The cipher new values are written with (settings.FIELD_CIPHER)."""
    return _config()[0]


def cipher_of(token: str) -> Cipher | None:
    """The configured cipher whose token this is by its shape, None for anything else (plain text, blank)."""
    for cipher in _config()[1].values():
        if token and cipher.owns(token):
            return cipher
    return None


def is_token(value: str) -> bool:
    return bool(value) and (value.startswith(FERNET_PREFIX) or value.startswith(SM4_PREFIX))


def encrypt(text: str) -> str:
    return active_cipher().encrypt(text)


def decrypt_strict(token: str) -> str:
    """The plain text, or Undecryptable."""
    cipher = cipher_of(token)
    if cipher is None:
        raise Undecryptable("not a token of a configured cipher")
    return cipher.decrypt(token)


def decrypt(token: str) -> str:
    try:
        return decrypt_strict(token)
    except Undecryptable:
        return ""


def key_of(token: str) -> str | None:
    """`<cipher>:<key id>` of the configured key that made the token; None if no configured key did."""
    cipher = cipher_of(token)
    kid = cipher.key_id(token) if cipher else None
    return f"{cipher.name}:{kid}" if cipher and kid else None


def is_current(token: str) -> bool:
    """Made by the newest key of the chosen cipher: keys_rotate leaves it alone."""
    active = active_cipher()
    return active.owns(token) and active.key_id(token) == active.newest_key_id()


def rotate(token: str) -> str:
    """The same plain text under the newest key of the chosen cipher (the token itself when it already is).
    Undecryptable when no configured key opens it: never replaced by an empty value."""
    if is_current(token):
        return token
    return encrypt(decrypt_strict(token))


def seal_text(text: str) -> str:
    """A sealed field's stored value: blank stays blank (so `field=""` still finds the empty ones)."""
    return encrypt(text) if text else text


def open_text(value: str) -> str:
    """A sealed field's plain value. A value that is not a token is a row written before its field was sealed and
    reads as itself (keys_rotate seals it); a token no configured key opens reads as "" and is logged."""
    if not is_token(value):
        return value
    try:
        return decrypt_strict(value)
    except Undecryptable:
        log.warning("a sealed value could not be decrypted (is its key still in the settings?)")
        return ""


@lru_cache(maxsize=4)
def _hash_key_for(id_hash_key: str, secret: str) -> bytes:
    return id_hash_key.encode() if id_hash_key else _derived("id-hash")


def keyed_hash(text: str) -> str:
    """HMAC-SHA256: equal inputs give equal hashes, but the hash cannot be reversed without the key."""
    return hmac.new(_hash_key_for(settings.ID_HASH_KEY or "", settings.SECRET_KEY), text.encode(),
                    hashlib.sha256).hexdigest()
