"""Demo families (家庭) in 恒东社区: the first registered women there each head a household with a husband and a
child kept by name, sex and birth year. Safe to run twice (the family's client token finds it again)."""

from fulian.accounts.models import User

from . import families
from .models import Woman

HUSBANDS = ["王建国", "李志强", "张海军", "刘永红", "陈国庆", "赵立新"]
CHILDREN = [("王子涵", "m"), ("李欣怡", "f"), ("张浩然", "m"), ("刘梓萱", "f"), ("陈宇航", "m"), ("赵一诺", "f")]


def demo_families(*, users: dict[str, User], count: int = 6) -> dict:
    """Expects hb-county and registered women in hb-village's 恒东社区."""
    chair, village = users["hb-county"], users["hb-village"].unit
    made = 0
    women = Woman.objects.filter(home_unit=village, merged_into__isnull=True).order_by("pk")[:count]
    for n, woman in enumerate(women):
        family = families.family_create(actor=chair, unit=village, name=f"{woman.name}家", woman=woman,
                                        relation="head", client_token=f"demo-family-{woman.pk}")
        if family.members.count() == 1:
            families.family_member_add(actor=chair, family=family, relation="spouse", name=HUSBANDS[n % 6], sex="m",
                                       birth_year=1982 + n)
            child, sex = CHILDREN[n % 6]
            families.family_member_add(actor=chair, family=family, relation="child", name=child, sex=sex,
                                       birth_year=2014 + n)
            made += 1
    return {"families": made}
