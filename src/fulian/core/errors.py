"""Refusals every app shares."""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The request clashes with the record's current state (someone saved in between, a token reused for other
    content): nothing was written; the API answers 409, a page shows the message."""
