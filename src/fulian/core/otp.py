"""One-time codes that are never stored: the code is an HMAC of a random nonce under SECRET_KEY.

The code row keeps only a keyed hash of the code; the outbox row keeps the nonce (as its link `otp:<nonce>`) and
a subject with a `{code}` placeholder, and the sender is handed the text with the code filled in at send time.
A copy of the database alone therefore reveals no code.
"""

import hmac
import secrets

from django.utils.crypto import salted_hmac

LINK_PREFIX = "otp:"
PLACEHOLDER = "{code}"


def otp_code(nonce: str) -> str:
    digest = salted_hmac("fulian.otp.code", nonce).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**6:06d}"


def otp_new() -> tuple[str, str]:
    """(nonce, code) for a fresh one-time code."""
    nonce = secrets.token_urlsafe(16)
    return nonce, otp_code(nonce)


def otp_hash(phone: str, code: str) -> str:
    return salted_hmac("fulian.otp.check", f"{phone}:{code}").hexdigest()


def otp_matches(stored_hash: str, phone: str, code: str) -> bool:
    return hmac.compare_digest(stored_hash, otp_hash(phone, code))


def otp_render(subject: str, link: str) -> str:
    """The text a sender sends: the subject with the code filled in, for an outbox row that carries one."""
    if link.startswith(LINK_PREFIX) and PLACEHOLDER in subject:
        return subject.replace(PLACEHOLDER, otp_code(link[len(LINK_PREFIX):]))
    return subject
