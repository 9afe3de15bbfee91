"""Demo 家庭评选: 石家庄市's 最美家庭 of this year mid-way — 正定县's families nominated by every channel (its villages
from the registry, a media find, a self- and an others' nomination on the portal), reviewed by the villages,
townships and the county, three shortlisted by the city and now in 公示 with one objection open — and 正定县's own
美丽庭院 of last year finished: 十佳 and 百优 awarded with certificates, their story passed on at a 家风讲坛 and at a
school. Everything goes through the services (dated in the past where the story needs it), so the figures equal
`indicators_recount`. Safe to run twice (a second run finds the campaigns and adds nothing)."""

import datetime as dt
import re

from django.utils import timezone

from fulian.accounts.models import User
from fulian.core.hooks import hook_call
from fulian.core.models import Outbox
from fulian.core.otp import otp_render
from fulian.orgs.models import Level, Unit
from fulian.people.models import Family

from . import awarding, nominations, notice, relay, review
from .campaigns import campaign_launch
from .models import AwardCampaign, DecisionKind, Nomination, NominationState

CURRENT = "最美家庭"
COURTYARD = "美丽庭院"
STORIES = [
    "婆媳和睦二十年，照顾瘫痪老人不离不弃，带动邻里互帮互助。",
    "夫妻二人创办家庭农场，带领周边十余户妇女增收致富。",
    "三代同堂，家训“勤俭持家、读书明理”代代相传，两个孩子考上大学后回乡任教。",
    "常年义务清扫村道、照看留守儿童，被乡亲们称为“热心肠一家”。",
    "院落整洁、花木成荫，庭院经济种植特色果蔬，年增收两万余元。",
    "带头移风易俗，婚事新办、丧事简办，家风清正。",
]
SELF_PHONE, OTHERS_PHONE = "13700001201", "13700001202"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _villages_across(county: Unit, *, besides: Unit, n: int) -> list[Unit]:
    """`n` villages of the county other than `besides`: the first of each other township, then others of its own
    (spread so that no township's quota is overrun), repeated when the county has fewer."""
    found = []
    for township in Unit.objects.filter(parent=county, level=Level.TOWNSHIP).exclude(pk=besides.parent_id
                                                                                     ).order_by("path"):
        village = Unit.objects.filter(parent=township, level=Level.VILLAGE).order_by("path").first()
        if village is not None:
            found.append(village)
    found += list(Unit.objects.filter(parent_id=besides.parent_id, level=Level.VILLAGE).exclude(pk=besides.pk)
                  .order_by("path")[:n])
    found = found or [besides]
    return [found[i % len(found)] for i in range(n)]


def _consent(family: Family) -> list[dict]:
    """What the village cadre recorded: the adults agreed to be named in public, the children are not named."""
    return [{"name": m.name, "consent": m.relation != "child"} for m in family.members.all()]


def _clean_families(village: Unit, n: int) -> list[Family]:
    """Registry families of the village none of whose women has an open family case (so no eligibility hold)."""
    found = []
    for family in Family.objects.filter(unit=village).order_by("pk"):
        women = list(family.members.filter(woman__isnull=False).values_list("woman_id", flat=True))
        if not any(hook_call("family.open_cases", woman_ids=women)):
            found.append(family)
        if len(found) == n:
            break
    return found


def _code_sent(phone: str) -> str:
    """The code the SMS carries (a demo woman reads her phone)."""
    message = Outbox.objects.filter(address=phone).latest("id")
    return re.search(r"(\d{6})", otp_render(message.subject, message.link)).group(1)


def _portal(campaign, *, village, family_name, nominator, phone, is_self, story, now) -> Nomination:
    nominations.nomination_code_send(campaign=campaign, phone=phone, now=now)
    return nominations.nomination_submit_public(
        campaign=campaign, village=village, family_name=family_name, story=story, nominator_name=nominator,
        nominator_phone=phone, code=_code_sent(phone), is_self=is_self, family_phone=phone, now=now,
        members=[{"name": nominator if is_self else family_name.removesuffix("家"), "relation": "本人",
                  "consent": True}], client_token=f"demo-award-{phone}")


def _up(actor, nomination, *, kind=DecisionKind.RECOMMEND, now, tier="", reason="") -> Nomination:
    """One decision where the nomination waits (a held one stays where the check put it)."""
    if nomination.state != NominationState.PENDING:
        return nomination
    nomination = Nomination.objects.select_related("campaign").get(pk=nomination.pk)
    return review.decide(actor=actor, nomination=nomination, kind=kind, tier=tier, reason=reason, now=now)


def _score(actor, nomination, *, now, share: float) -> None:
    if nomination.state != NominationState.PENDING:
        return
    nomination = Nomination.objects.select_related("campaign").get(pk=nomination.pk)
    points = {c["key"]: max(1, round(c["max"] * share)) for c in nomination.campaign.criteria}
    review.score_save(actor=actor, nomination=nomination, points=points, comment="事迹突出，群众认可。", now=now)


def _courtyard(*, county_chair, village_cadre, county, today) -> dict:
    """正定县's 美丽庭院 of last year, finished: 十佳 and 百优 awarded with certificates, their story passed on."""
    start = today - dt.timedelta(days=365)
    campaign = campaign_launch(
        actor=county_chair, unit=county, kind="courtyard", name=f"{start.year}年度正定县“美丽庭院”", year=start.year,
        level=Level.TOWNSHIP, nominate_until=start + dt.timedelta(days=20), review_until=start + dt.timedelta(days=40),
        tiers=[{"name": "十佳", "quota": 10}, {"name": "百优", "quota": 100}], quotas={"5": 3, "4": 5},
        description="院内整洁、绿化美化、物品有序、文明风尚。", now=_at(start))
    home = village_cadre.unit
    families = _clean_families(home, 5)[3:5]
    villages = _villages_across(county, besides=home, n=1)
    rows = [nominations.nomination_create(actor=county_chair, campaign=campaign, channel="org", family=f,
                                          story=STORIES[4], title="小庭院 大文明", members=_consent(f),
                                          now=_at(start, 9 + n), client_token=f"demo-courtyard-{f.pk}")
            for n, f in enumerate(families)]
    rows += [nominations.nomination_create(
        actor=county_chair, campaign=campaign, channel="media", unit=v, family_name="高秀芝家", story=STORIES[5],
        source="正定县融媒体中心《美丽庭院巡礼》", now=_at(start + dt.timedelta(days=2)),
        client_token=f"demo-courtyard-media-{v.pk}") for v in villages]
    decided = start + dt.timedelta(days=25)
    for n in rows:
        n = _up(county_chair, n, now=_at(decided))  # the village
        n = _up(county_chair, n, now=_at(decided + dt.timedelta(days=3)))  # the township
    tiers = ["十佳", "百优", "百优"]
    for n, tier in zip(rows, tiers, strict=False):
        _up(county_chair, Nomination.objects.get(pk=n.pk), kind=DecisionKind.SHORTLIST, tier=tier,
            now=_at(decided + dt.timedelta(days=8)))
    noticed = decided + dt.timedelta(days=10)
    campaign = notice.notice_start(actor=county_chair, campaign=campaign, now=_at(noticed))
    done = awarding.campaign_award_all(actor=county_chair, campaign=campaign,
                                       now=_at(campaign.notice_until + dt.timedelta(days=3)))
    awarded = list(Nomination.objects.filter(pk__in=done["awarded"]).order_by("pk"))
    relays = 0
    if awarded:
        later = campaign.notice_until + dt.timedelta(days=30)
        relay.relay_create(actor=village_cadre if awarded[0].unit_path.startswith(home.path) else county_chair,
                           nomination=awarded[0], venue="school", title="美丽庭院故事进校园", held_on=later,
                           now=_at(later))
        relays += 1
        lectures = relay.relay_activities(county_chair, q="家风讲坛")
        if lectures:
            relay.relay_create(actor=county_chair, nomination=awarded[-1], activity_id=lectures[0]["id"])
            relays += 1
    return {"campaign": campaign.pk, "awarded": len(awarded), "relays": relays}


def _most_beautiful(*, users, county, today) -> dict:
    """石家庄市's 最美家庭 of this year, in 公示 with one objection open."""
    city_chair, county_chair, township = users["hb-city"], users["hb-county"], users["hb-township"]
    village_cadre = users["hb-village"]
    start = today - dt.timedelta(days=40)
    campaign = campaign_launch(
        actor=city_chair, unit=city_chair.unit, kind="most_beautiful", name=f"{today.year}年度石家庄市“最美家庭”",
        year=today.year, level=Level.COUNTY, nominate_until=start + dt.timedelta(days=15),
        review_until=start + dt.timedelta(days=35), quotas={"5": 2, "4": 4, "3": 3},
        tiers=[{"name": "十佳", "quota": 10}, {"name": "百优", "quota": 100}],
        description="寻找最美家庭：爱国爱家、相亲相爱、向上向善、共建共享。", now=_at(start))
    home = village_cadre.unit
    others = _villages_across(county, besides=home, n=3)
    made = [nominations.nomination_create(
        actor=village_cadre, campaign=campaign, channel="org", family=f, story=STORIES[n], title="好家风代代传",
        members=_consent(f), now=_at(start + dt.timedelta(days=2), 9 + n), client_token=f"demo-mb-{f.pk}")
        for n, f in enumerate(_clean_families(home, 3))]
    made.append(nominations.nomination_create(
        actor=county_chair, campaign=campaign, channel="media", unit=others[0], family_name="刘建华家",
        story=STORIES[3], source="《河北日报》“最美家庭”专栏", now=_at(start + dt.timedelta(days=4)),
        client_token=f"demo-mb-media-{others[0].pk}"))
    made.append(_portal(campaign, village=others[1], family_name="孙丽娟家", nominator="孙丽娟", phone=SELF_PHONE,
                        is_self=True, story=STORIES[1], now=_at(start + dt.timedelta(days=5))))
    made.append(_portal(campaign, village=others[2], family_name="马春燕家", nominator="何晓梅", phone=OTHERS_PHONE,
                        is_self=False, story=STORIES[2], now=_at(start + dt.timedelta(days=6))))
    made = [n for n in made if n.state == NominationState.PENDING]
    village_day, township_day, county_day = (start + dt.timedelta(days=d) for d in (17, 21, 26))
    for n, row in enumerate(made):  # each village recommends (恒东社区 keeps its third at home)
        kind = DecisionKind.KEEP if n == 2 and row.unit_id == home.pk else DecisionKind.RECOMMEND
        made[n] = _up(county_chair if row.unit_id != home.pk else village_cadre, row, kind=kind, now=_at(village_day))
    for n, row in enumerate(made):  # the townships score and decide; one is declined with its reason
        if row.state != NominationState.PENDING:
            continue
        actor = township if row.at_path.startswith(township.unit.path) else county_chair
        _score(actor, row, now=_at(township_day, 9), share=0.85 - n * 0.02)
        declined = n == len(made) - 1 and len(made) > 4
        made[n] = _up(actor, row, now=_at(township_day), kind=DecisionKind.DECLINE if declined
                      else DecisionKind.RECOMMEND, reason="事迹材料不够具体，建议补充后明年再报。" if declined else "")
    sent = 0
    for n, row in enumerate(made):  # the county scores, recommends its three to the city and keeps the next
        if row.state != NominationState.PENDING:
            continue
        _score(county_chair, row, now=_at(county_day, 9), share=0.9 - n * 0.03)
        kind = DecisionKind.RECOMMEND if sent < 3 else DecisionKind.KEEP
        made[n] = _up(county_chair, row, kind=kind, now=_at(county_day))
        sent += kind == DecisionKind.RECOMMEND
    shortlisted = 0
    for n, row in enumerate(made):
        if row.state == NominationState.PENDING and row.at_path == campaign.unit_path:
            _up(city_chair, row, kind=DecisionKind.SHORTLIST, tier="十佳" if n == 0 else "百优",
                now=_at(start + dt.timedelta(days=33)))
            shortlisted += 1
    objection = None
    if shortlisted:
        campaign = notice.notice_start(actor=city_chair, campaign=campaign, now=_at(today - dt.timedelta(days=1)))
        target = notice.shortlisted(campaign).order_by("-pk").first()
        objection = notice.objection_lodge(
            campaign=campaign, nomination_id=target.pk, text="听说这家和邻居因宅基地有纠纷，建议核实。", anonymous=True,
            client_token=f"demo-award-objection-{campaign.pk}", now=_at(today, 9))
    return {"campaign": campaign.pk, "nominations": len(made), "shortlisted": shortlisted,
            "objection": objection.pk if objection else None}


def demo_awards(*, users: dict[str, User] | None = None, now=None) -> dict:
    """Expects the demo's accounts (hb-city, hb-county, hb-township, hb-village), its families in 恒东社区 and its
    activities (a 家风讲坛 to pass a story on at); run after demo_families and demo_organise."""
    now = now or timezone.now()
    users = users or {u.username: u for u in User.objects.filter(username__startswith="hb-")}
    county_chair = users["hb-county"]
    county = county_chair.unit
    if AwardCampaign.objects.filter(unit=county, kind="courtyard").exists():
        return {"created": False}
    today = timezone.localdate(now)
    courtyard = _courtyard(county_chair=county_chair, village_cadre=users["hb-village"], county=county, today=today)
    current = _most_beautiful(users=users, county=county, today=today)
    return {"created": True, "courtyard": courtyard, "current": current}
