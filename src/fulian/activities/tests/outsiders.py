"""Records of activities' id routes for api/tests/test_outsiders.py: a published two-session class of 正定县 at
恒东社区's home with one sign-up, a brand project of 正定县, and a campaign 正定县 launched to its villages."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.activities import campaigns, projects, services
    from fulian.activities.signups import signup_create
    from fulian.orgs.models import WomensHome

    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=2), dt.time(9)))
    home = WomensHome.objects.create(unit=village, unit_path=village.path, name="恒东社区妇女之家（活动）",
                                     address="恒东社区居委会二楼")
    project = projects.project_save(actor=chair, unit=county, values={
        "name": "巾帼家政", "kind": "brand", "starts_on": today, "ends_on": today + dt.timedelta(days=180),
        "targets": [{"figure": "activities_held", "target": 10}]})
    campaign = campaigns.campaign_launch(actor=chair, unit=county, title="家风讲坛进万家", kind="lecture",
                                         starts_on=today, ends_on=today + dt.timedelta(days=30),
                                         deadline=today + dt.timedelta(days=30), level=5, activities_each=1)
    activity = services.activity_save(actor=chair, unit=county, values={
        "title": "家政服务技能培训班", "kind": "course", "home": home, "capacity": 30, "project": project,
        "campaign": campaign}, sessions=[(start, start + dt.timedelta(hours=2)),
                                         (start + dt.timedelta(days=1), start + dt.timedelta(days=1, hours=2))])
    activity = services.activity_publish(actor=chair, activity=activity)
    signup = signup_create(activity=activity, name="王秀兰", phone="13812345678", channel="cadre", actor=chair)
    return {"activity_id": activity.pk, "session_id": activity.sessions.order_by("number").first().pk,
            "signup_id": signup.pk, "project_id": project.pk, "campaign_id": campaign.pk}
