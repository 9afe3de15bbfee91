"""Numbered certificates with a public check: the kit for service hours today, trainings and awards next.

A certificate is issued once per subject (`kind` + `subject_key`, e.g. a volunteer and her total hours): issuing
again returns the same one. Its verification code is the number plus a keyed signature, so numbers cannot be walked
to list other people's certificates; the public page shows the holder's name masked, what is certified, who issued
it and whether it still stands.
"""

import hmac
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .audit import audit_record
from .models import Certificate
from .policy import Action, require
from .qr import qr_svg


def _signature(number: str) -> str:
    return salted_hmac("fulian.certificate", number).hexdigest()[:8]


def certificate_code(certificate: Certificate) -> str:
    return f"{certificate.number}-{_signature(certificate.number)}"


def certificate_issue(*, actor, kind: str, subject_key: str, holder: str, title: str, unit, now=None) -> Certificate:
    """Issue (or find again) the certificate of one subject, in the name of `unit`."""
    require(actor, Action.EDIT, unit.path)
    existing = Certificate.objects.filter(kind=kind, subject_key=subject_key, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                number=f"tmp-{secrets.token_hex(8)}", kind=kind, subject_key=subject_key, holder=holder[:60],
                title=title[:200], unit_path=unit.path, unit_name=unit.federation_name[:100], issued_at=now,
                issued_by=actor)
            certificate.number = f"FL{now:%Y}-{certificate.pk:07d}"
            Certificate.objects.filter(pk=certificate.pk).update(number=certificate.number)
            audit_record(actor=actor, action="certificate.issue", obj=certificate, changes={"kind": kind})
    except IntegrityError:  # issued at the same moment by a double click
        return Certificate.objects.get(kind=kind, subject_key=subject_key)
    return certificate


def certificate_revoke(*, actor, certificate: Certificate, now=None) -> None:
    require(actor, Action.EDIT, certificate.unit_path)
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
        audit_record(actor=actor, action="certificate.revoke", obj=certificate)


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification code names, or None (a wrong signature finds nothing)."""
    number, _sep, signature = (code or "").strip().rpartition("-")
    if not number or not hmac.compare_digest(signature, _signature(number)):
        return None
    return Certificate.objects.filter(number=number).first()


def masked_holder(name: str) -> str:
    """王秀兰 → 王*兰, 李梅 → 李*: enough to match the paper, not to collect names."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def certificate_qr(certificate: Certificate, *, base_url: str) -> str:
    """An inline SVG QR code of the public verification link (no script, no external image)."""
    return qr_svg(f"{base_url.rstrip('/')}/verify/{certificate_code(certificate)}/")
