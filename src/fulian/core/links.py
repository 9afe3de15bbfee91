"""Addresses people type (a website, an account page): an http(s) URL or a plain account name, never a script."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

_URL = URLValidator(schemes=["http", "https"])


def clean_link(raw) -> str:
    """'' for blank; an http(s) URL as given; a name without a scheme (a WeChat ID) as given. Anything with another
    scheme (javascript:, data:, vbscript:, also hidden behind spaces or control characters) is refused."""
    text = str(raw or "").strip()
    if not text:
        return ""
    visible = "".join(c for c in text if not unicodedata.category(c).startswith(("C", "Z")))
    if ":" in visible.split("/")[0] or visible.startswith("//"):
        try:
            _URL(text)
        except ValidationError:
            raise ValidationError(_("地址只能是 http:// 或 https:// 开头的网址，或账号名称。"),
                                  code="link_scheme") from None
    if len(text) > 200:
        raise ValidationError(_("地址太长（最多200个字符）。"), code="link_length")
    return text
