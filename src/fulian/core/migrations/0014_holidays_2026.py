"""The 2026 calendar of days off and 调休 working weekends, as announced by the General Office of the State Council
(国务院办公厅关于2026年部分节假日安排的通知). A system administrator keeps later years in data maintenance (节假日)."""

import datetime as dt

from django.db import migrations

OFF = [("元旦", "2026-01-01", "2026-01-03"), ("春节", "2026-02-15", "2026-02-23"), ("清明节", "2026-04-04", "2026-04-06"),
       ("劳动节", "2026-05-01", "2026-05-05"), ("端午节", "2026-06-19", "2026-06-21"), ("中秋节", "2026-09-25", "2026-09-27"),
       ("国庆节", "2026-10-01", "2026-10-07")]
WORK = [("元旦调休上班", "2026-01-04"), ("春节调休上班", "2026-02-14"), ("春节调休上班", "2026-02-28"),
        ("劳动节调休上班", "2026-05-09"), ("国庆节调休上班", "2026-09-20"), ("国庆节调休上班", "2026-10-10")]


def load(apps, schema_editor):
    Holiday = apps.get_model("core", "Holiday")
    rows = []
    for name, first, last in OFF:
        day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
        while day <= end:
            rows.append(Holiday(day=day, name=name, is_workday=False))
            day += dt.timedelta(days=1)
    rows += [Holiday(day=dt.date.fromisoformat(day), name=name, is_workday=True) for name, day in WORK]
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)


def unload(apps, schema_editor):
    apps.get_model("core", "Holiday").objects.filter(day__year=2026).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0013_holiday")]
    operations = [migrations.RunPython(load, unload)]
