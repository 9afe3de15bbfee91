"""Demo organisation building in the shape of the Hebei report: every township of 石家庄市 re-elected with a
chair, vice-chairs and an executive committee (Hebei: 100 % of townships, 10,029 chairs and vice-chairs,
23,179 executive members — about 4.5 and 10 per township); other cities part of the way; Women's Homes,
volunteers, posts and new-media accounts in 正定县."""

import datetime as dt
import random

from django.utils import timezone

from fulian.orgs import building, homes
from fulian.orgs.models import BodyKind, Kind, Level, MediaAccount, MemberRole, PostKind, SocialOrganisation, Unit
from fulian.people.demo import GIVEN, SURNAMES


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def demo_building(*, actor, seed: int = 5) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    term_start = dt.date(today.year - 2, 3, 1)
    term_end = dt.date(today.year + 3, 2, 28)
    made = {"elections": 0, "members": 0}
    for city in Unit.objects.filter(code__startswith="13", level=Level.CITY, kind=Kind.GEOGRAPHIC).order_by("code"):
        share = 1.0 if city.code == "130100000000" else rng.uniform(0.6, 1.0)
        townships = Unit.objects.subtree(city).filter(level=Level.TOWNSHIP, kind=Kind.GEOGRAPHIC).order_by("code")
        for township in townships:
            election = building.election_plan(actor=actor, unit=township, planned_on=term_start)
            made["elections"] += 1
            if rng.random() > share:
                continue
            building.election_hold(actor=actor, election=election, held_on=term_start, today=today)
            if city.code != "130100000000":
                continue  # members only for 石家庄市: enough to show the shape without slowing the demo
            body = building.body_create(
                actor=actor, unit=township, kind=BodyKind.EXECUTIVE, term_start=term_start, term_end=term_end
            )
            roles = (
                [MemberRole.CHAIR]
                + [MemberRole.VICE_CHAIR_FULL]
                + [MemberRole.VICE_CHAIR_PART] * rng.choice([2, 3, 4])
                + [MemberRole.MEMBER] * rng.randint(8, 12)
            )
            for role in roles:
                building.member_add(
                    actor=actor,
                    body=body,
                    name=_name(rng),
                    role=role,
                    is_grassroots=rng.random() < 0.45,
                    birth_year=rng.randint(1962, 1998),
                    ethnicity=rng.choice(["汉族"] * 14 + ["回族", "满族"]),
                    sector=rng.choice(["农业", "教育", "医疗", "企业", "社区服务", "个体"]),
                )
                made["members"] += 1
    county = Unit.objects.get(code="130123000000")
    for kind, quota in [
        (PostKind.FULL_TIME, 4),
        (PostKind.SECONDED, 1),
        (PostKind.PART_TIME, 6),
        (PostKind.SOCIAL_WORKER, 3),
    ]:
        building.post_set(actor=actor, unit=county, kind=kind, quota=quota)
    for n, village in enumerate(Unit.objects.filter(parent__parent=county, level=Level.VILLAGE).order_by("code")[:40]):
        homes.home_save(
            actor=actor,
            unit=village,
            name=f"{village.name}妇女之家",
            address=f"{village.name}村委会院内",
            latitude=38.10 + rng.uniform(0, 0.12),
            longitude=114.50 + rng.uniform(0, 0.14),
            opening_hours="周一至周五 8:30-17:30",
            facilities="活动室、图书角、心理咨询室",
        )
        if n < 12:
            volunteer = building.volunteer_add(
                actor=actor,
                unit=village,
                name=_name(rng),
                team="巾帼志愿服务队",
                skills=rng.choice(["家政", "法律", "心理疏导", "电商", "亲子阅读"]),
            )
            for _ in range(rng.randint(1, 5)):
                building.service_record_add(
                    actor=actor,
                    volunteer=volunteer,
                    today=today,
                    served_on=today - dt.timedelta(days=rng.randint(1, 200)),
                    hours=rng.choice([1, 2, 2.5, 3, 4]),
                    activity="入户走访、宣讲",
                )
    building.social_org_add(
        actor=actor,
        unit=county,
        name="正定县巾帼家政服务协会",
        category=SocialOrganisation.Category.SERVICE,
        contact="王女士 13800002222",
    )
    building.social_org_add(
        actor=actor, unit=county, name="正定县女律师志愿团", category=SocialOrganisation.Category.PROFESSIONAL
    )
    for platform, name, followers in [
        (MediaAccount.Platform.WECHAT, "正定女性", 18600),
        (MediaAccount.Platform.WEIBO, "正定县妇联", 5200),
        (MediaAccount.Platform.GROUP, "正定县妇联工作群", 480),
    ]:
        account = building.media_account_add(actor=actor, unit=county, platform=platform, name=name)
        for months_ago in (2, 1, 0):
            building.follower_count_record(
                actor=actor,
                account=account,
                followers=int(followers * (1 - 0.04 * months_ago)),
                counted_on=today - dt.timedelta(days=30 * months_ago),
            )
    return made
