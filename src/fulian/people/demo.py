"""Demo women: generated, deterministic rosters for the demo counties, loaded through the real importer."""

import datetime as dt
import random

from fulian.core.idnumber import check_char
from fulian.orgs.models import Kind, Level, Unit

from .importing import WomenImport

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "秀英桂兰玉芳红梅丽华春燕敏静淑珍凤霞云莲海艳婷娟颖雪慧琳晓丹萍翠娥月荣琴素爱彩"
MOBILE_PREFIXES = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "187",
                   "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "189"]
OCCUPATIONS = ["农民", "农民", "农民", "工人", "个体经营", "企业职工", "离退休", "无业", "学生"]
TAGS = ["", "", "", "", "留守", "流动", "贫困", "单亲母亲", "残疾", "留守、贫困", "创业妇女"]


def roster_rows(rng: random.Random, village: Unit, count: int, serial: dict):
    region = village.code[:6]
    for _ in range(count):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
        key = (region, birth)
        serial[key] = serial.get(key, -1) + 1
        first17 = f"{region}{birth:%Y%m%d}{2 * serial[key]:03d}"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
        record = {
            "name": name,
            "id_number": first17 + check_char(first17),
            "phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}",
            "unit_code": village.code,
            "ethnicity": rng.choice(["汉族"] * 18 + ["回族", "满族"]),
            "occupation": rng.choice(OCCUPATIONS),
            "tags": rng.choice(TAGS),
            "consent_purpose": "妇联联系服务",
            "consent_on": dt.date(2026, 3, 8),
        }
        yield record


def demo_women(*, actor, county: Unit, per_village: int, seed: int, today: dt.date) -> dict:
    rng = random.Random(seed)
    serial: dict = {}
    villages = Unit.objects.subtree(county).filter(level=Level.VILLAGE, kind=Kind.GEOGRAPHIC).order_by("code")
    rows = (
        (number, record, tuple(record.values()))
        for number, record in enumerate(
            (r for v in villages for r in roster_rows(rng, v, per_village, serial)), start=2)
    )
    result = WomenImport(actor=actor, today=today).run(rows)
    return result.counts
