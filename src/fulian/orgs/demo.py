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
