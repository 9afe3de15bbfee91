"""The English catalogue is complete: every string of the UI has a translation and none is a guess (fuzzy), so
switching to English never shows Chinese text or a wrong sentence."""

from pathlib import Path

import fulian

CATALOGUE = Path(fulian.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    for block in text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if any(line.startswith("msgid ") for line in lines):
            yield lines


def _value(lines, key: str) -> str:
    out, on = [], False
    for line in lines:
        if line.startswith(key + " "):
            on, line = True, line[len(key) + 1:]
        elif not line.startswith('"'):
            on = False
            continue
        if on:
            out.append(line.strip()[1:-1])
    return "".join(out)


def test_every_string_has_an_english_translation_and_none_is_fuzzy():
    missing, fuzzy = [], []
    for lines in _entries(CATALOGUE.read_text(encoding="utf-8")):
        msgid = _value(lines, "msgid")
        if not msgid:
            continue  # the header
        if any(line.startswith("#,") and "fuzzy" in line for line in lines):
            fuzzy.append(msgid)
        plural = any(line.startswith("msgid_plural") for line in lines)
        values = [_value(lines, f"msgstr[{i}]") for i in (0, 1)] if plural else [_value(lines, "msgstr")]
        if not all(values):
            missing.append(msgid)
    assert (missing, fuzzy) == ([], [])
