"""Demo meetings of 正定县妇联: its executive and standing committees of this term (set up through organisation
building when the demo has none), a standing committee meeting with a quorum whose decision issued a task to the
townships, one that fell short of a quorum, and a joint meeting (联席会议) with the county's partners named."""

import datetime as dt

from django.utils import timezone

from fulian.accounts.models import User
from fulian.orgs import building
from fulian.orgs.models import Body, BodyKind, Level, MemberRole, SocialOrganisation, Unit

from . import services

EXECUTIVE = ["刘桂英", "陈淑芬", "杨晓红", "高春梅", "马丽娟", "韩秀云", "冯玉兰", "曹雪梅", "邓丽华", "彭桂芝",
             "许红霞", "傅海燕", "沈秋菊", "吕金凤", "苏美玲"]
STANDING = EXECUTIVE[:7]


def _token(name: str) -> str:
    """A fixed client token per demo write: a second run finds the first run's record."""
    return f"demo-{name}"


def _body(*, actor, unit: Unit, kind: str, names: list[str], today: dt.date) -> Body:
    body = Body.objects.filter(unit=unit, kind=kind, term_start__lte=today, term_end__gte=today).first()
    if body is not None:
        return body
    body = building.body_create(actor=actor, unit=unit, kind=kind, term_start=dt.date(today.year - 2, 3, 1),
                                term_end=dt.date(today.year + 3, 2, 28))
    roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR_FULL, MemberRole.VICE_CHAIR_PART]
    for i, name in enumerate(names):
        building.member_add(actor=actor, body=body, name=name, role=roles[i] if i < len(roles) else MemberRole.MEMBER,
                            is_grassroots=i % 3 == 2)
    return body


def demo_meetings(*, users: dict[str, User], now: dt.datetime | None = None) -> dict:
    """Deterministic and safe to run twice (every write carries a fixed client token); expects the demo accounts
    (hb-county is 正定县妇联's chair)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    chair = users["hb-county"]
    county = chair.unit
    _body(actor=chair, unit=county, kind=BodyKind.EXECUTIVE, names=EXECUTIVE, today=today)
    standing = _body(actor=chair, unit=county, kind=BodyKind.STANDING, names=STANDING, today=today)
    members = list(standing.members.order_by("pk"))
    held = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=12), dt.time(9, 0)))

    meeting = services.meeting_record(
        actor=chair, unit=county, kind="standing", held_at=held, place="正定县妇联三楼会议室",
        chair_name=members[0].name, present_member_ids=[m.pk for m in members[:6]],
        absence_reasons={members[6].pk: "参加市妇联培训"}, observers=["县妇联办公室主任 王静"],
        agenda="学习传达市妇联全委会精神\n部署家庭教育宣讲活动\n审议三八红旗手推荐名单",
        minutes="会议由主席主持，应到常委7人，实到6人，符合规定人数。会议传达学习了市妇联全委会精神，研究部署了"
                "“家庭教育进万家”宣讲活动，审议了三八红旗手推荐名单。",
        client_token=_token("meeting-standing"), now=held)
    decision = services.decision_record(
        actor=chair, meeting=meeting, title="开展“家庭教育进万家”宣讲活动",
        text="各乡镇妇联于一个月内组织村(社区)妇联开展至少一场家庭教育宣讲，并报送开展情况。",
        votes_by_name={m.pk: "for" for m in members[:6]}, client_token=_token("decision-lectures"), now=held)
    services.decision_record(
        actor=chair, meeting=meeting, title="审议通过三八红旗手推荐名单", text="推荐名单按程序公示后报市妇联。",
        votes_by_name={**{m.pk: "for" for m in members[:5]}, members[5].pk: "abstain"},
        client_token=_token("decision-honours"), now=held)
    task = services.decision_task_issue(
        actor=chair, decision=decision, title=decision.title, body=decision.text,
        deadline=now + dt.timedelta(days=20), period_start=today.year * 100 + today.month,
        period_end=today.year * 100 + today.month, level=Level.TOWNSHIP, client_token=_token("decision-task"),
        now=held + dt.timedelta(hours=3))

    short = held + dt.timedelta(days=5)
    services.meeting_record(
        actor=chair, unit=county, kind="standing", held_at=short, place="正定县妇联三楼会议室",
        present_member_ids=[m.pk for m in members[:3]],
        absence_reasons={m.pk: "下乡督导" for m in members[3:]}, agenda="研究妇女之家建设经费",
        minutes="到会常委不足半数，会议只通报情况，经费事项另行开会研究。", client_token=_token("meeting-no-quorum"),
        now=short)

    partners = list(SocialOrganisation.objects.filter(unit=county).order_by("name").values_list("name", flat=True))
    joint_at = held + dt.timedelta(days=2)
    joint = services.meeting_record(
        actor=chair, unit=county, kind="joint", held_at=joint_at, place="正定县人民法院二楼",
        chair_name=chair.full_name or "刘桂英", attendees=["刘桂英", "县公安局副局长 张伟", "县法院副院长 李明",
                                                          "县民政局 赵磊", "县司法局 孙涛"],
        absentees=[("县检察院 周强", "出庭")],
        organisations=["正定县公安局", "正定县人民法院", "正定县民政局", "正定县司法局", *partners],
        agenda="反家庭暴力工作联席会议\n建立家暴警情通报和庇护转介机制",
        minutes="各成员单位通报了上半年反家暴工作情况，议定建立家暴警情月通报和庇护转介机制。",
        client_token=_token("meeting-joint"), now=joint_at)
    services.decision_record(actor=chair, meeting=joint, title="建立家暴警情月通报和庇护转介机制",
                             text="公安、法院、民政、司法行政和妇联每月通报一次，庇护转介由县民政局牵头。",
                             client_token=_token("decision-joint"), now=joint_at)
    return {"meeting": meeting, "decision": decision, "task": task, "joint": joint,
            "recipients": task.dispatch.recipient_count}
