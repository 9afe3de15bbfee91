"""Resident ID numbers (居民身份证号码, GB 11643-1999): check, normalise, derive birth date and sex.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male, even = female) and
a check character computed with ISO 7064 MOD 11-2 (0-9 or X). 15-digit numbers issued before 1999 have a
2-digit year and no check character; they are upgraded to 18 by inserting "19" and computing it.
Every refusal says what is wrong in words a cadre can act on.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .params import is_ascii_digits

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"
# first two digits: the 34 provincial-level codes of GB/T 2260 (incl. 71 Taiwan, 81 Hong Kong, 82 Macao)
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
}
FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＡＢＣ", "0123456789XxABC")


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    is_female: bool

    @property
    def masked(self) -> str:
        """130***********123X: enough to tell two women apart on a list, not enough to use the number."""
        return self.number[:3] + "*" * 11 + self.number[-4:]

    @property
    def last4(self) -> str:
        return self.number[-4:]


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(raw, *, today: dt.date | None = None) -> IdNumber:
    """Parse what a cadre typed or an Excel cell held; raises ValidationError with the reason."""
    today = today or dt.date.today()
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError(_("身份证号为空。"), code="id_blank")
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        raise ValidationError(
            _("身份证号被存成了数字，末几位可能已经丢失；请把该列设为“文本”后重新填写。"), code="id_numeric_cell"
        )
    text = "".join(str(raw).split())
    if text != text.translate(FULL_WIDTH):
        raise ValidationError(_("身份证号含全角字符，请改用半角数字和字母。"), code="id_full_width")
    text = text.upper()
    if len(text) == 15:
        return _parse_15(text, today)
    if len(text) != 18:
        raise ValidationError(
            _("身份证号应为18位，现为%(n)d位。") % {"n": len(text)}, code="id_length"
        )
    if not is_ascii_digits(text[:17]) or not (is_ascii_digits(text[17]) or text[17] == "X"):
        raise ValidationError(_("身份证号只能由数字组成，最后一位可以是X。"), code="id_characters")
    if text[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号前两位“%(code)s”不是有效的省级行政区划代码。") % {"code": text[:2]}, code="id_region"
        )
    birth = _birth_date(text[6:14], today)
    expected = check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(
            _("身份证号校验不通过：号码中有一位抄错了（不一定是最后一位）。请对照身份证逐位核对全部18位。"),
            code="id_check_char",
        )
    return IdNumber(number=text, birth_date=birth, is_female=int(text[16]) % 2 == 0)


def _parse_15(text: str, today: dt.date) -> IdNumber:
    if not is_ascii_digits(text):
        raise ValidationError(_("15位旧身份证号只能由数字组成。"), code="id_characters")
    if text[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号前两位“%(code)s”不是有效的省级行政区划代码。") % {"code": text[:2]}, code="id_region"
        )
    first17 = text[:6] + "19" + text[6:]
    birth = _birth_date(first17[6:14], today)
    number = first17 + check_char(first17)
    return IdNumber(number=number, birth_date=birth, is_female=int(number[16]) % 2 == 0)


def _birth_date(digits: str, today: dt.date) -> dt.date:
    try:
        birth = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            _("身份证号中的出生日期%(digits)s不存在。") % {"digits": digits}, code="id_birth_impossible"
        ) from None
    if birth > today:
        raise ValidationError(_("身份证号中的出生日期%(date)s在今天之后。") % {"date": birth}, code="id_birth_future")
    if birth.year < 1900:
        raise ValidationError(_("身份证号中的出生年份%(year)d早于1900年。") % {"year": birth.year}, code="id_birth_old")
    return birth
