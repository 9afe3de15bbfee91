"""Demo tree: real divisions of the demo provinces, conversion progress by city and some organisations."""

import random

from django.db import transaction

from .divisions import divisions_load, divisions_read
from .figures import conversions_counted
from .models import Conversion, Kind, Level, Unit
from .services import unit_create_organisation

DEMO_PROVINCES = ("13", "23")  # 河北, 黑龙江
ORGANISATION_KINDS = ["物流园", "电商产业园", "家政服务公司", "农民专业合作社", "商贸城", "社会组织孵化园", "工业园区"]


def demo_tree(*, seed: int = 2026, actor=None) -> dict:
    """Deterministic: the same seed gives the same conversion states and organisations."""
    rng = random.Random(seed)
    divisions_load(divisions=divisions_read(provinces=DEMO_PROVINCES), actor=actor, scope=DEMO_PROVINCES)
    converted = 0
    with transaction.atomic():
        for city in Unit.objects.filter(level=Level.CITY, kind=Kind.GEOGRAPHIC).order_by("code"):
            # "农村(社区)妇代会改建妇联工作正在有序推进": each city somewhere between 55% and 98% done
            share = rng.uniform(0.55, 0.98)
            villages = list(
                Unit.objects.subtree(city).filter(level=Level.VILLAGE, kind=Kind.GEOGRAPHIC).order_by("code")
            )
            done = [village for village in villages if rng.random() < share]
            for start in range(0, len(done), 900):
                batch = done[start : start + 900]
                Unit.objects.filter(id__in=[v.pk for v in batch]).update(conversion=Conversion.FEDERATION)
                conversions_counted(batch, 1)
            converted += len(done)
    organisations = 0
    hebei_townships = Unit.objects.filter(level=Level.TOWNSHIP, kind=Kind.GEOGRAPHIC, code__startswith="13")
    for township in hebei_townships.order_by("code"):
        # Hebei built 3,400+ women's organisations in new economic and social organisations
        for _ in range(rng.choice([0, 1, 1, 2, 2, 2, 3])):
            name = f"{township.name}{rng.choice(ORGANISATION_KINDS)}妇女委员会"
            if Unit.objects.filter(parent=township, name=name).exists():
                continue
            unit_create_organisation(actor=actor, parent=township, name=name, kind=Kind.NEW_ORGANISATION)
            organisations += 1
    return {"villages_converted": converted, "organisations": organisations}


# 正定县's named roster (人员花名册): name, kind, post, start, end, seconded from, demo account
COUNTY_STAFF = [
    ("刘桂英", "full_time", "主席", "2021-06-01", None, "", "hb-county"),
    ("郭秀芳", "full_time", "副主席", "2019-03-01", None, "", None),
    ("韩丽娟", "full_time", "办公室主任", "2020-09-01", None, "", None),
    ("孟晓雪", "full_time", "权益部部长", "2022-04-01", None, "", None),
    ("李红", "seconded", "挂职副主席", "2025-07-01", "2027-06-30", "正定县教育局", None),
    ("田慧", "part_time", "兼职副主席", "2021-06-01", None, "", None),
    ("吴凤琴", "part_time", "执委", "2021-06-01", None, "", None),
    ("周雅婷", "part_time", "执委", "2021-06-01", None, "", None),
    ("高红梅", "part_time", "执委", "2022-01-01", None, "", None),
    ("冯淑华", "part_time", "执委", "2022-01-01", None, "", None),
    ("曹丽", "part_time", "执委", "2023-01-01", None, "", None),
    ("邓颖", "part_time", "执委", "2024-01-01", None, "", None),
    ("马兰", "social_worker", "妇女社会工作者", "2024-05-01", None, "", None),
    ("孙悦", "social_worker", "妇女社会工作者", "2025-02-01", None, "", None),
    ("蒋芳", "full_time", "副主席", "2015-01-01", "2025-12-31", "", None),  # retired: listed, not counted
]
TOWNSHIP_STAFF = [  # the first two townships of 正定县 (正定镇 is hb-township's)
    [("陈玉梅", "full_time", "专职副主席", "2021-03-01", None, "", "hb-township"),
     ("赵春华", "part_time", "兼职副主席", "2021-03-01", None, "", None),
     ("钱小燕", "part_time", "执委", "2021-03-01", None, "", None)],
    [("王淑英", "full_time", "专职副主席", "2020-05-01", None, "", None),
     ("刘晓燕", "part_time", "兼职副主席", "2021-03-01", None, "", None)],
]


def demo_staff(*, actor, users: dict, county: Unit) -> dict:
    """人员花名册 of 正定县 (4 专职, a 挂职 副主席 until 2027-06-30, 7 兼职 — one over its quota of 6 — and 2 社工) and
    of its first two townships, so the staffing counts of the building page come from names. Safe to run twice: a
    unit that has a roster is left alone."""
    import datetime as dt

    from . import building
    from .models import StaffMember

    townships = Unit.objects.filter(parent=county, level=Level.TOWNSHIP, kind=Kind.GEOGRAPHIC).order_by("code")
    townships = list(townships[: len(TOWNSHIP_STAFF)])
    made = 0
    for unit, rows in [(county, COUNTY_STAFF), *zip(townships, TOWNSHIP_STAFF, strict=False)]:
        if StaffMember.objects.filter(unit=unit).exists():
            continue
        for name, kind, post, start, end, seconded_from, username in rows:
            account = users.get(username) if username else None
            if account is not None and account.unit_id != unit.pk:
                account = None
            building.staff_add(actor=actor, unit=unit, name=name, kind=kind, post=post,
                               starts_on=dt.date.fromisoformat(start),
                               ends_on=dt.date.fromisoformat(end) if end else None, seconded_from=seconded_from,
                               account=account)
            made += 1
    return {"staff": made, "units": [county.name] + [t.name for t in townships]}
