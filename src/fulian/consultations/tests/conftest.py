import datetime as dt

import pytest
from django.utils import timezone

from fulian.consultations.drafts import consultation_create, consultation_open
from fulian.people.services import WomanData, woman_create


@pytest.fixture
def registered(unit, village_cadre):
    """李秀梅 of 恒东社区, registered with her phone."""
    return woman_create(actor=village_cadre, data=WomanData(name="李秀梅", home_unit=unit("恒东社区"),
                                                            phone="13803110021"))


def village_rule(actor, unit, *, audience="subtree", days=14, open_it=True, **extra):
    """恒东社区's draft village rule of three sections, open for comment for `days` days."""
    today = timezone.localdate()
    draft = consultation_create(
        actor=actor, unit=unit, kind="village_rule", title="恒东社区居民公约（修订草案）", audience=audience,
        opens_on=today, closes_on=today + dt.timedelta(days=days), intro="请大家提意见",
        sections=[{"heading": "第一条", "text": "男女平等，家庭和睦。"},
                  {"heading": "第二条", "text": "婚事新办，不要高价彩礼。"},
                  {"heading": "第三条", "text": "保护妇女儿童合法权益。"}], **extra)
    return consultation_open(actor=actor, consultation=draft) if open_it else draft
