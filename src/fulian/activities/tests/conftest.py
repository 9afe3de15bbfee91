import datetime as dt

import pytest
from django.utils import timezone

from fulian.activities import services
from fulian.orgs.models import WomensHome


def at(days: int, hour: int = 9) -> dt.datetime:
    """A moment `days` from today at `hour` local time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def home(unit):
    village = unit("恒东社区")
    return WomensHome.objects.create(unit=village, unit_path=village.path, name="恒东社区妇女之家",
                                     address="恒东社区居委会二楼", latitude=38.14, longitude=114.57)


@pytest.fixture
def activity(unit, county_chair, home):
    """正定县's published two-session class at 恒东社区's home, 3 places."""
    made = services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={
            "title": "家政服务技能培训班", "kind": "course", "home": home, "capacity": 3, "audience": "open",
            "organiser": "正定县妇联", "partners": ["县人社局"]},
        sessions=[(at(2), at(2, 11), "第一课"), (at(3), at(3, 11), "第二课")])
    return services.activity_publish(actor=county_chair, activity=made)
