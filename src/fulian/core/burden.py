"""The burden meter (减负): the server times every cadre form from a signed stamp put in it at render to its
accepted save, capped at 30 minutes (a form left open over lunch is not half an hour of typing).

A form template carries `{% entry_stamp "form-name" %}` beside its `{% csrf_token %}`; the middleware reads the
stamp back from the POST and, when the save was accepted (a redirect after the POST, or a view that called
`entry_accept(request)`), writes one EntryTime row: whose minutes, for which unit, for which form. A stamp counts
once, so a double click is one form, and a stamp is signed, so a page cannot claim minutes it did not spend.
"""

import hashlib
import time

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import EntryTime

CAP_SECONDS = 30 * 60
FIELD = "_entry"
_SALT = "fulian.burden"


def entry_stamp_value(form: str) -> str:
    """The signed stamp of a form rendered now."""
    return signing.dumps({"f": form[:60], "t": round(time.time(), 1)}, salt=_SALT, compress=True)


def entry_seconds(stamp: str, *, now: float | None = None) -> tuple[str, int] | None:
    """(form, seconds since render, capped) of a genuine stamp under a day old; None for anything else."""
    try:
        data = signing.loads(stamp, salt=_SALT, max_age=86400)
        form, started = str(data["f"])[:60], float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    elapsed = (now if now is not None else time.time()) - started
    return form, max(0, min(CAP_SECONDS, round(elapsed)))


def entry_accept(request) -> None:
    """For a view whose accepted save answers 200 (an htmx fragment) rather than a redirect."""
    request._entry_accepted = True


def entry_record(*, user, stamp: str, now=None) -> EntryTime | None:
    """Count a form's minutes once for her (and her unit); a forged, old or reused stamp counts nothing."""
    timed = entry_seconds(stamp)
    unit = getattr(user, "unit", None)
    if timed is None or unit is None:
        return None
    form, seconds = timed
    digest = hashlib.sha256(stamp.encode()).hexdigest()
    try:
        with transaction.atomic():
            return EntryTime.objects.create(user=user, unit_path=unit.path, form=form, seconds=seconds,
                                            at=now or timezone.now(), stamp=digest)
    except IntegrityError:
        return None


class EntryTimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST" and (response.status_code in (302, 303) or (
                getattr(request, "_entry_accepted", False) and response.status_code < 300)):
            user = getattr(request, "user", None)
            content_type = request.META.get("CONTENT_TYPE", "")
            if user is not None and user.is_authenticated and content_type.startswith(
                    ("application/x-www-form-urlencoded", "multipart/form-data")):
                stamp = request.POST.get(FIELD, "")
                if stamp:
                    entry_record(user=user, stamp=stamp)
        return response
