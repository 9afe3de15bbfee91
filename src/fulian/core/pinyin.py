"""Pinyin keys for names, so a cadre on a phone can type `zjz` and find 张家庄村."""

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_KEEP = re.compile(r"[^a-z0-9]")


# Names repeat a great deal in a roster (张秀英, 王桂兰, …): caching halves the cost of an import.
@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """First letter of each syllable (张家庄村 → zjzc); letters and digits in the name are kept."""
    return _KEEP.sub("", "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower())


@lru_cache(maxsize=65536)
def name_pinyin(name: str) -> str:
    """Whole pinyin without tones or spaces (张家庄村 → zhangjiazhuangcun)."""
    return _KEEP.sub("", "".join(lazy_pinyin(name, errors="default")).lower())


def is_pinyin_query(q: str) -> bool:
    """A query of ASCII letters only is read as pinyin (initials or whole syllables)."""
    return bool(q) and q.isascii() and q.isalpha()
