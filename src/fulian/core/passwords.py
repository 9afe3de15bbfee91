import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """Cadre passwords mix letters and digits, as Chinese government systems commonly require (等保 2.0)."""

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_letters_digits")

    def get_help_text(self):
        return _("密码必须同时包含字母和数字。")


# Patterns Chinese users put in passwords (lists of leaked Chinese passwords are led by 123456, 5201314, woaini,
# qq123456, dates and names in pinyin); a password is refused when what is left after removing them is short.
COMMON_PARTS = (
    "woaini", "iloveyou", "5201314", "1314520", "1314", "520", "woaiwojia", "aini", "qwerty", "qwer", "asdf",
    "zxcv", "abcd", "abc", "password", "passwd", "pass", "admin", "fulian", "fulianhui", "funv", "zhongguo",
    "china", "beijing", "hebei", "heilongjiang", "qq", "wang", "li", "zhang", "liu", "chen", "yang", "zhao",
    "huang", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo",
)
_DATE = re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])([0-2]\d|3[01])|(0[1-9]|1[0-2])([0-2]\d|3[01])")
_RUN = re.compile(r"(.)\1{2,}")
_SEQUENCES = ("0123456789", "9876543210", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _strip_sequences(text: str) -> str:
    """Remove runs of 3+ consecutive characters of a keyboard row or the alphabet/digits (123, abc, qwe)."""
    out, i = [], 0
    while i < len(text):
        j = i + 1
        while j < len(text) and any(text[j - 1 : j + 1] in seq for seq in _SEQUENCES):
            j += 1
        if j - i >= 3:
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class PredictablePasswordValidator:
    """Refuses passwords made of repeats, sequences, dates, common Chinese patterns, the account's own phone,
    username or name (in pinyin) with little else."""

    min_rest = 5

    def _personal(self, user) -> list[str]:
        if user is None:
            return []
        from .pinyin import name_pinyin

        parts = [getattr(user, "username", ""), getattr(user, "phone", "")]
        name = getattr(user, "full_name", "") or ""
        if name:
            parts += [name_pinyin(name).replace(" ", ""), *name_pinyin(name).split()]
        phone = getattr(user, "phone", "") or ""
        if len(phone) >= 8:
            parts += [phone[-8:], phone[-6:], phone[-4:]]
        return [p.lower() for p in parts if p and len(p) >= 2]

    def validate(self, password, user=None):
        text = password.lower()
        if len(set(text)) < 5:
            raise ValidationError(_("密码太简单：不同的字符太少。"), code="password_predictable")
        for part in sorted({*COMMON_PARTS, *self._personal(user)}, key=len, reverse=True):
            text = text.replace(part, "")
        text = _strip_sequences(_RUN.sub("", _DATE.sub("", text)))
        if len(text) < self.min_rest:
            raise ValidationError(
                _("密码太容易猜：不要只用姓名拼音、手机号、生日、连续或重复的字符、woaini、5201314 之类的组合。"),
                code="password_predictable",
            )

    def get_help_text(self):
        return _("不要只用姓名拼音、手机号、生日、连续或重复的字符、woaini、5201314 之类的组合。")


class PasswordHistoryValidator:
    """A new password may not be one of her last PASSWORD_HISTORY passwords (kept as hashes only)."""

    def validate(self, password, user=None):
        if user is None or getattr(user, "pk", None) is None:
            return
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        recent = [user.password, *user.password_history.order_by("-id").values_list("password", flat=True)[
            : settings.PASSWORD_HISTORY - 1]]
        if any(h and check_password(password, h) for h in recent):
            raise ValidationError(_("不能使用最近用过的密码。"), code="password_reused")

    def get_help_text(self):
        return _("不能使用最近用过的密码。")
