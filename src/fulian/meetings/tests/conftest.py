import datetime as dt

import pytest
from django.utils import timezone

from fulian.orgs import building

TERM = (dt.date(2024, 1, 1), dt.date(2028, 12, 31))
MEMBERS = ["赵敏", "钱红", "孙丽", "李娜", "周芳", "吴静", "郑洁"]  # seven members: quorum is four, a majority four


def at(day: int, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, day, hour, 0))


@pytest.fixture
def standing(unit, county_chair):
    """正定县妇联's standing committee of this term: seven members."""
    body = building.body_create(actor=county_chair, unit=unit("正定县"), kind="standing", term_start=TERM[0],
                                term_end=TERM[1])
    roles = ["chair", "vice_full", "vice_part"] + ["member"] * (len(MEMBERS) - 3)
    return body, [building.member_add(actor=county_chair, body=body, name=n, role=r) for n, r in zip(MEMBERS, roles,
                                                                                                   strict=True)]
