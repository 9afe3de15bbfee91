"""Chinese phone numbers, checked with Google's libphonenumber (the `phonenumbers` package)."""

import re
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .idnumber import FULL_WIDTH

_MOBILE = re.compile(r"^1[0-9]{10}$")


@lru_cache(maxsize=262144)
def _mobile_segment_is_valid(segment: str) -> bool:
    """Chinese mobile numbers are allotted by 7-digit segment (号段), and libphonenumber's CN rules look only
    at leading digits and length (a search of every 6-digit prefix found validity varying after the 6th digit
    in only 12 of them); checking each segment once makes a large import cheaper."""
    return phonenumbers.is_valid_number(phonenumbers.parse(segment + "0000", "CN"))


def normalize_phone(raw) -> str:
    """'' for blank; otherwise the national number (mobile 13812345678, fixed line 031186001234)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = "".join(str(raw).split()).replace("-", "")
    if not text:
        return ""
    if text != text.translate(FULL_WIDTH):
        raise ValidationError(_("手机号含全角数字，请改用半角数字。"), code="phone_full_width")
    if any(c.isdigit() and not c.isascii() for c in text):
        # other scripts' digits (١٣٨…) would be read as the same number by libphonenumber: a hidden duplicate
        raise ValidationError(_("手机号只能由半角数字组成。"), code="phone_characters")
    if _MOBILE.match(text) and _mobile_segment_is_valid(text[:7]):
        return text
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("“%(raw)s”不是电话号码。") % {"raw": text}, code="phone_invalid") from None
    if number.country_code != 86:
        raise ValidationError(_("只接受中国大陆电话号码（+86）。"), code="phone_country")
    if not phonenumbers.is_valid_number(number):
        national = str(number.national_number)
        if national.startswith("1") and len(national) != 11:
            raise ValidationError(
                _("手机号应为11位，现为%(n)d位。") % {"n": len(national)}, code="phone_length"
            )
        raise ValidationError(_("“%(raw)s”不是有效的电话号码。") % {"raw": text}, code="phone_invalid")
    kind = phonenumbers.number_type(number)
    national = str(number.national_number)
    if kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return national
    return "0" + national
