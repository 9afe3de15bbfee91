"""Organisation building (组织建设): leadership bodies and elections, staffing, volunteers, social organisations
and new-media accounts — the writes (each atomic and audited) and the rolled-up figures the pages show."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record, changed_fields
from fulian.core.certificates import certificate_issue
from fulian.core.links import clean_link
from fulian.core.policy import Action, OutOfScope, allows, require, scope_q
from fulian.core.tree import subtree_q

from .models import (
    Body,
    BodyMember,
    Election,
    FollowerCount,
    Kind,
    Level,
    MediaAccount,
    MemberRole,
    Post,
    PostKind,
    ServiceRecord,
    SocialOrganisation,
    StaffMember,
    Unit,
    Volunteer,
    staff_current_q,
)

TERM_YEARS = 5  # a federation's bodies are elected for five years


def _may_edit(actor, unit) -> None:
    require(actor, Action.EDIT, unit.path)


def body_create(*, actor, unit: Unit, kind: str, term_start: dt.date, term_end: dt.date) -> Body:
    _may_edit(actor, unit)
    if term_end <= term_start:
        raise ValidationError(_("任期结束日期应晚于开始日期。"), code="term_order")
    if (term_end - term_start).days > 366 * TERM_YEARS:
        raise ValidationError(_("一届任期不超过%(n)d年。") % {"n": TERM_YEARS}, code="term_long")
    if Body.objects.filter(unit=unit, kind=kind, term_start__lt=term_end, term_end__gt=term_start).exists():
        raise ValidationError(_("这段任期与已有的一届重叠。"), code="term_overlap")
    with transaction.atomic():
        body = Body.objects.create(unit=unit, unit_path=unit.path, kind=kind, term_start=term_start, term_end=term_end)
        audit_record(actor=actor, action="body.create", obj=body)
    return body


def member_add(
    *,
    actor,
    body: Body,
    name: str,
    role: str,
    is_grassroots: bool = False,
    ethnicity: str = "",
    sector: str = "",
    birth_year: int | None = None,
) -> BodyMember:
    _may_edit(actor, body.unit)
    if not (name or "").strip():
        raise ValidationError(_("请填写姓名。"), code="member_name")
    if role not in MemberRole.values:
        raise ValidationError(_("职务不正确。"), code="member_role")
    try:
        with transaction.atomic():
            member = BodyMember.objects.create(
                body=body,
                name=name.strip()[:30],
                role=role,
                is_grassroots=is_grassroots,
                ethnicity=ethnicity.strip()[:20],
                sector=sector.strip()[:40],
                birth_year=birth_year,
            )
            audit_record(actor=actor, action="body.member_add", obj=body, changes={"name": member.name, "role": role})
    except IntegrityError:
        raise ValidationError(_("这一届已经有主席了；一个组织每届只有一名主席。"), code="one_chair") from None
    return member


def election_plan(*, actor, unit: Unit, planned_on: dt.date) -> Election:
    _may_edit(actor, unit)
    with transaction.atomic():
        election = Election.objects.create(unit=unit, unit_path=unit.path, planned_on=planned_on)
        audit_record(actor=actor, action="election.plan", obj=election)
    return election


def election_hold(*, actor, election: Election, held_on: dt.date, today: dt.date) -> Election:
    _may_edit(actor, election.unit)
    if held_on > today:
        raise ValidationError(_("召开日期不能在今天之后。"), code="held_future")
    with transaction.atomic():
        Election.objects.filter(pk=election.pk).update(held_on=held_on)
        election.held_on = held_on
        audit_record(actor=actor, action="election.hold", obj=election)
    return election


def _filled(unit: Unit, kind: str, today: dt.date) -> int:
    return StaffMember.objects.filter(staff_current_q(today), unit=unit, kind=kind).count()


def _overrun_warning(unit: Unit, kind: str, quota: int, filled: int) -> str | None:
    if filled <= quota:
        return None
    return _("%(unit)s的%(kind)s在岗%(filled)d人，超出编制%(quota)d人。") % {
        "unit": unit.name, "kind": PostKind(kind).label, "filled": filled, "quota": quota}


def post_set(*, actor, unit: Unit, kind: str, quota: int, today: dt.date | None = None) -> tuple[Post, str | None]:
    """Set a unit's quota (编制) of one kind. Who is in post is counted from the named roster, never typed; returns
    a warning when the roster holds more than the quota allows."""
    _may_edit(actor, unit)
    today = today or timezone.localdate()
    if kind not in PostKind.values:
        raise ValidationError(_("类别不正确。"), code="post_kind")
    if quota < 0:
        raise ValidationError(_("人数不能为负数。"), code="post_negative")
    with transaction.atomic():
        post, _created = Post.objects.update_or_create(unit=unit, kind=kind,
                                                       defaults={"unit_path": unit.path, "quota": quota})
        audit_record(actor=actor, action="post.set", obj=unit, changes={"kind": kind, "quota": quota})
    post.filled = _filled(unit, kind, today)
    return post, _overrun_warning(unit, kind, quota, post.filled)


def staff_count_subquery(today: dt.date, *, kind=None, unit_field: str = "unit"):
    """An expression for a row with a unit (and a kind): its roster members (of that kind) in post on `today`."""
    rows = StaffMember.objects.filter(staff_current_q(today), unit=OuterRef(unit_field))
    rows = rows.filter(kind=OuterRef("kind")) if kind is None else rows.filter(kind=kind)
    return Coalesce(Subquery(rows.order_by().values("unit").annotate(n=Count("id")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def posts_with_filled(unit: Unit, *, today: dt.date):
    """A unit's quotas, each with `filled`: its roster members of that kind in post today."""
    return unit.posts.annotate(filled=staff_count_subquery(today)).order_by("kind")


def staff_add(*, actor, unit: Unit, name: str, kind: str, starts_on: dt.date, post: str = "",
              ends_on: dt.date | None = None, seconded_from: str = "", phone: str = "", account=None,
              today: dt.date | None = None) -> tuple[StaffMember, str | None]:
    """A cadre joins the unit's named roster (人员花名册); a 挂职 cadre needs the end of her secondment. Returns her
    record and a warning when her kind is now over its quota."""
    from fulian.core.phone import normalize_phone

    _may_edit(actor, unit)
    today = today or timezone.localdate()
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写姓名。"), code="staff_name")
    if kind not in PostKind.values:
        raise ValidationError(_("人员类别不正确。"), code="staff_kind")
    if starts_on is None:
        raise ValidationError(_("请填写到岗日期。"), code="staff_start")
    if kind == PostKind.SECONDED and ends_on is None:
        raise ValidationError(_("挂职干部请填写挂职期满日期。"), code="staff_secondment_end")
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError(_("离岗日期应晚于到岗日期。"), code="staff_dates")
    if account is not None:
        if account.unit_id is None or not allows(actor, Action.VIEW, account.unit.path):
            raise OutOfScope("account out of scope")
        current = StaffMember.objects.filter(staff_current_q(today), account=account)
        if current.exists():
            raise ValidationError(_("这个干部账号已在花名册上，请先办理离岗。"), code="staff_account_twice")
    phone = normalize_phone(phone) if (phone or "").strip() else ""
    with transaction.atomic():
        member = StaffMember.objects.create(
            unit=unit, unit_path=unit.path, name=name[:30], account=account, kind=kind, post=(post or "").strip()[:40],
            seconded_from=(seconded_from or "").strip()[:100], starts_on=starts_on, ends_on=ends_on, phone=phone)
        audit_record(actor=actor, action="staff.add", obj=member, changes={"kind": kind, "unit": unit.code})
    quota = Post.objects.filter(unit=unit, kind=kind).values_list("quota", flat=True).first()
    warning = _overrun_warning(unit, kind, quota, _filled(unit, kind, today)) if quota is not None else None
    return member, warning


def staff_end(*, actor, member: StaffMember, ends_on: dt.date) -> StaffMember:
    """She leaves (离岗) on `ends_on`: from that day she no longer counts. Ending again only moves the date earlier."""
    _may_edit(actor, member.unit)
    if ends_on <= member.starts_on:
        raise ValidationError(_("离岗日期应晚于到岗日期。"), code="staff_dates")
    if member.ends_on is not None and member.ends_on <= ends_on:
        raise ValidationError(_("%(name)s已于%(day)s离岗。") % {"name": member.name, "day": member.ends_on},
                              code="staff_ended")
    with transaction.atomic():
        StaffMember.objects.filter(pk=member.pk).update(ends_on=ends_on)
        audit_record(actor=actor, action="staff.end", obj=member,
                     changes={"ends_on": [str(member.ends_on) if member.ends_on else None, str(ends_on)]})
    member.ends_on = ends_on
    return member


def volunteer_add(*, actor, unit: Unit, name: str, phone: str = "", skills: str = "", team: str = "") -> Volunteer:
    _may_edit(actor, unit)
    if not (name or "").strip():
        raise ValidationError(_("请填写姓名。"), code="volunteer_name")
    with transaction.atomic():
        volunteer = Volunteer.objects.create(
            unit=unit,
            unit_path=unit.path,
            name=name.strip()[:30],
            phone=phone[:20],
            skills=skills[:200],
            team=team[:100],
        )
        audit_record(actor=actor, action="volunteer.add", obj=volunteer)
    return volunteer


def service_record_add(
    *, actor, volunteer: Volunteer, served_on: dt.date, hours, activity: str, today: dt.date
) -> ServiceRecord:
    _may_edit(actor, volunteer.unit)
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ValidationError(_("服务时长必须大于0。"), code="hours_not_positive")
    if hours > 24:
        raise ValidationError(_("一天的服务时长不能超过24小时。"), code="hours_too_many")
    if served_on > today:
        raise ValidationError(_("服务日期不能在今天之后。"), code="served_future")
    with transaction.atomic():
        record = ServiceRecord.objects.create(
            volunteer=volunteer, served_on=served_on, hours=hours, activity=(activity or "").strip()[:200]
        )
        audit_record(actor=actor, action="volunteer.hours", obj=volunteer, changes={"hours": str(hours)})
    return record


def social_org_add(
    *, actor, unit: Unit, name: str, category: str, contact: str = "", support: str = ""
) -> SocialOrganisation:
    _may_edit(actor, unit)
    if category not in SocialOrganisation.Category.values:
        raise ValidationError(_("类别不正确。"), code="category")
    try:
        with transaction.atomic():
            org = SocialOrganisation.objects.create(
                unit=unit,
                unit_path=unit.path,
                name=name.strip()[:100],
                category=category,
                contact=contact[:100],
                support=support,
            )
            audit_record(actor=actor, action="social_org.add", obj=org)
    except IntegrityError:
        raise ValidationError(_("已有同名组织。"), code="duplicate") from None
    return org


def media_account_add(*, actor, unit: Unit, platform: str, name: str, url: str = "") -> MediaAccount:
    _may_edit(actor, unit)
    url = clean_link(url)
    try:
        with transaction.atomic():
            account = MediaAccount.objects.create(
                unit=unit, unit_path=unit.path, platform=platform, name=name.strip()[:100], url=url
            )
            audit_record(actor=actor, action="media.add", obj=account)
    except IntegrityError:
        raise ValidationError(_("已有同名账号。"), code="duplicate") from None
    return account


def follower_count_record(*, actor, account: MediaAccount, counted_on: dt.date, followers: int) -> FollowerCount:
    _may_edit(actor, account.unit)
    if followers < 0:
        raise ValidationError(_("人数不能为负数。"), code="followers_negative")
    with transaction.atomic():
        count, _created = FollowerCount.objects.update_or_create(
            account=account, counted_on=counted_on, defaults={"followers": followers}
        )
    return count


def volunteer_certificate_issue(*, actor, volunteer: Volunteer, now=None):
    """A numbered certificate of her registered hours (core.certificates): one per volunteer and total."""
    total = volunteer.records.aggregate(h=Sum("hours"))["h"] or 0
    return certificate_issue(
        actor=actor, kind="volunteer_hours", subject_key=f"volunteer:{volunteer.pk}:{total}", holder=volunteer.name,
        title=_("巾帼志愿者，累计登记志愿服务%(total)s小时") % {"total": f"{total:.1f}"}, unit=volunteer.unit, now=now)


def building_record_update(*, actor, record, values: dict) -> dict:
    """Change fields of a roster record (volunteer, organisation, home, media account) of her scope, e.g. from a
    re-imported roster; returns {field: [old, new]} that changed (nothing is written when nothing changed)."""
    require(actor, Action.EDIT, record.unit_path)
    changes = changed_fields(record, values)
    if changes:
        with transaction.atomic():
            type(record).objects.filter(pk=record.pk).update(**values)
            audit_record(actor=actor, action=f"{record._meta.model_name}.update", obj=record, changes=changes)
    return changes


def building_summary(unit: Unit, *, today: dt.date) -> dict:
    """The figures of a unit's subtree, with one row per child for the election completion."""
    since = today - dt.timedelta(days=366 * TERM_YEARS)
    townships = Unit.objects.filter(subtree_q(unit.path), level=Level.TOWNSHIP, kind=Kind.GEOGRAPHIC)
    held_units = set(
        Election.objects.filter(subtree_q(unit.path, "unit_path"), held_on__gte=since).values_list("unit_id", flat=True)
    )
    children = []
    for child in unit.children.filter(kind=Kind.GEOGRAPHIC).order_by("code"):
        ids = list(townships.filter(subtree_q(child.path)).values_list("id", flat=True))
        done = len(held_units.intersection(ids))
        children.append({"unit": child, "townships": len(ids), "held": done, "rate": done / len(ids) if ids else None})
    own_ids = list(townships.values_list("id", flat=True))
    current = BodyMember.objects.filter(
        subtree_q(unit.path, "body__unit_path"), body__term_start__lte=today, body__term_end__gte=today
    )
    leaders = {
        (r["body__unit__level"], r["role"]): r["n"]
        for r in current.values("body__unit__level", "role").annotate(n=Count("id")).order_by()
    }
    levels = [
        {
            "level": lv,
            "label": lv.label,
            "chairs": leaders.get((lv, MemberRole.CHAIR), 0),
            "vice_chairs": leaders.get((lv, MemberRole.VICE_CHAIR_FULL), 0)
            + leaders.get((lv, MemberRole.VICE_CHAIR_PART), 0),
            "members": leaders.get((lv, MemberRole.MEMBER), 0),
        }
        for lv in Level
        if lv >= unit.level
    ]
    people = current.exclude(role=MemberRole.DELEGATE).aggregate(
        total=Count("id"),
        grassroots=Count("id", filter=Q(is_grassroots=True)),
        minority=Count("id", filter=~Q(ethnicity__in=["", "汉族"])),
        young=Count("id", filter=Q(birth_year__gt=today.year - 40)),
        older=Count("id", filter=Q(birth_year__lte=today.year - 60)),
    )
    posts, posts_by_level, overruns = staffing_summary(unit, today=today)
    volunteers = Volunteer.objects.filter(subtree_q(unit.path, "unit_path"))
    hours = ServiceRecord.objects.filter(volunteer__in=volunteers).aggregate(h=Sum("hours"))["h"] or 0
    latest = FollowerCount.objects.filter(account=OuterRef("pk")).order_by("-counted_on").values("followers")[:1]
    media = list(
        MediaAccount.objects.filter(subtree_q(unit.path, "unit_path"))
        .annotate(latest=Subquery(latest))
        .values("platform")
        .annotate(accounts=Count("id"), followers=Sum("latest"))
        .order_by("platform")
    )
    sectors = list(
        current.exclude(role=MemberRole.DELEGATE)
        .exclude(sector="")
        .values("sector")
        .annotate(n=Count("id"))
        .order_by("-n")[:12]
    )
    platforms = dict(MediaAccount.Platform.choices)
    categories = dict(SocialOrganisation.Category.choices)
    for row in media:
        row["label"] = platforms.get(row["platform"], row["platform"])
    social = list(
        SocialOrganisation.objects.filter(subtree_q(unit.path, "unit_path"))
        .values("category")
        .annotate(n=Count("id"))
        .order_by("category")
    )
    for row in social:
        row["label"] = categories.get(row["category"], row["category"])
    return {
        "townships": len(own_ids),
        "held": len(held_units.intersection(own_ids)),
        "election_rate": len(held_units.intersection(own_ids)) / len(own_ids) if own_ids else None,
        "children": children,
        "levels": levels,
        "people": people,
        "posts": posts,
        "posts_by_level": posts_by_level,
        "sectors": sectors,
        "overruns": overruns,
        "volunteers": volunteers.count(),
        "hours": hours,
        "social_orgs": social,
        "media": media,
        "last_count": FollowerCount.objects.aggregate(d=Max("counted_on"))["d"],
    }


def staffing_summary(unit: Unit, *, today: dt.date) -> tuple[list[dict], list[dict], int]:
    """Quota (编制) and in post (在岗, counted from the named roster today) of a subtree by kind and by level, and the
    number of unit quotas overrun: grouped queries, whatever the subtree's size."""
    quotas = Post.objects.filter(subtree_q(unit.path, "unit_path"))
    staff = StaffMember.objects.filter(subtree_q(unit.path, "unit_path"), staff_current_q(today))
    by_kind_quota = {r["kind"]: r["q"] for r in quotas.values("kind").annotate(q=Sum("quota")).order_by()}
    by_kind_staff = {r["kind"]: r["n"] for r in staff.values("kind").annotate(n=Count("id")).order_by()}
    posts = [{"kind": k, "label": PostKind(k).label, "quota": by_kind_quota.get(k, 0),
              "filled": by_kind_staff.get(k, 0)} for k in PostKind.values if k in by_kind_quota or k in by_kind_staff]
    by_level_quota = {r["unit__level"]: r["q"]
                      for r in quotas.values("unit__level").annotate(q=Sum("quota")).order_by()}
    by_level_staff = {r["unit__level"]: r["n"] for r in staff.values("unit__level").annotate(n=Count("id")).order_by()}
    posts_by_level = [{"unit__level": lv, "label": Level(lv).label, "quota": by_level_quota.get(lv, 0),
                       "filled": by_level_staff.get(lv, 0)}
                      for lv in sorted(set(by_level_quota) | set(by_level_staff))]
    overruns = quotas.annotate(filled=staff_count_subquery(today)).filter(filled__gt=F("quota")).count()
    return posts, posts_by_level, overruns


def staff_counts(unit: Unit, *, today: dt.date) -> dict[str, int]:
    """{kind: members in post today} of the unit itself (its page)."""
    rows = StaffMember.objects.filter(staff_current_q(today), unit=unit).values("kind").annotate(n=Count("id"))
    return {r["kind"]: r["n"] for r in rows.order_by()}


def staff_of_unit(unit: Unit, *, today: dt.date, ended: bool = False):
    """A unit's roster: those in post on `today` (or, with `ended`, those who left or have not started)."""
    rows = StaffMember.objects.filter(unit=unit)
    rows = rows.exclude(staff_current_q(today)) if ended else rows.filter(staff_current_q(today))
    return rows.order_by("kind", "starts_on", "id")


def staff_for(user, *, unit: Unit | None = None, today: dt.date | None = None, kind: str = ""):
    """Roster members in her scope (of `unit`'s subtree when given), in post on `today` when given."""
    rows = StaffMember.objects.filter(scope_q(user, field="unit_path")).select_related("unit", "account")
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    if today is not None:
        rows = rows.filter(staff_current_q(today))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("unit_path", "kind", "starts_on", "id")
