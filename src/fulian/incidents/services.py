"""维权事件 writes: record an incident (the clock starts at its first report), add the unit's actions, link the
women concerned through their cases (need-to-know), write a statement and send it to the publishing review on a
fast track (reviewers told at once, in the app and by SMS, with the deadline), chase late statements, close.

Every write goes through `write_path` with its audit row; a stale version is a Conflict; a repeated form (same
client token) returns what the first one made."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.db.models import F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.accounts.models import User
from fulian.cases.models import Case
from fulian.cases.services import may_handle, normalize_tracking
from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.outbox import outbox_put
from fulian.core.params import is_ascii_digits
from fulian.core.policy import Action, has_leader_role, may_review_article, require
from fulian.core.tree import ancestor_paths
from fulian.core.writes import write_path
from fulian.orgs.models import Unit
from fulian.portal.models import ArticleStatus, Category
from fulian.portal.services import article_save, article_submit

from .models import ActionKind, Incident, IncidentAction, IncidentCase, IncidentStatement, IncidentStatus, Severity

MAX_SOURCES = 10
MAX_URL = 500
FUTURE_SLACK = dt.timedelta(minutes=5)  # a phone's clock a little ahead of the server's is not "the future"
CHASE_BEFORE = dt.timedelta(hours=2)
STATEMENT_CATEGORIES = (Category.NOTICE, Category.BULLETIN)
STALE = _("这条记录已被别人修改，请刷新后重试。")
_url = URLValidator(schemes=["http", "https"])


def statement_hours() -> int:
    """How many hours after the first report the first statement is due (settings.INCIDENT_STATEMENT_HOURS)."""
    return int(getattr(settings, "INCIDENT_STATEMENT_HOURS", 24))


def sources_clean(raw) -> list[str]:
    """Source links from a list or from text (one per line): http/https only, or a message naming the bad one."""
    items = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    links = []
    for item in items:
        link = str(item).strip()
        if not link:
            continue
        try:
            if len(link) > MAX_URL:
                raise ValidationError("too long")
            _url(link)
        except ValidationError:
            raise ValidationError(_("来源链接“%(url)s”不是有效的网址：请填写以 http:// 或 https:// 开头的完整网址。")
                                  % {"url": link[:80]}, code="incident_source") from None
        if link not in links:
            links.append(link)
    if len(links) > MAX_SOURCES:
        raise ValidationError(_("来源链接最多%(n)d条。") % {"n": MAX_SOURCES}, code="incident_sources")
    return links


def _aware(moment):
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _check_fields(*, unit: Unit, title: str, reported_at, place_unit, severity: str, now) -> None:
    if not (title or "").strip():
        raise ValidationError(_("请填写发生了什么。"), code="incident_title")
    if reported_at is None:
        raise ValidationError(_("请填写首次报告时间。"), code="incident_reported_at")
    if reported_at > now + FUTURE_SLACK:
        raise ValidationError(_("首次报告时间不能晚于现在。"), code="incident_reported_at")
    if place_unit is not None and not place_unit.path.startswith(unit.path):
        raise ValidationError(_("发生地须是本单位或下级单位。"), code="incident_place")
    if severity not in Severity.values:
        raise ValidationError(_("严重程度不正确。"), code="incident_severity")


def _token(client_token) -> str | None:
    token = (client_token or "").strip()[:40]
    return token or None


def incident_create(*, actor, unit: Unit, title: str, reported_at, description: str = "", place_unit=None,
                    place_text: str = "", sources=(), severity: str = Severity.GENERAL, client_token=None,
                    now=None) -> Incident:
    """登记维权事件: the clock starts at `reported_at`; the first statement is due `statement_hours()` later."""
    now = now or timezone.now()
    require(actor, Action.EDIT, unit.path)
    token = _token(client_token)
    if token:
        done = Incident.objects.filter(client_token=token).first()
        if done is not None:
            if done.created_by_id != actor.pk:
                raise Conflict(_("这份表单已提交过。"), code="incident_token")
            return done
    reported_at = _aware(reported_at) if reported_at is not None else None
    _check_fields(unit=unit, title=title, reported_at=reported_at, place_unit=place_unit, severity=severity, now=now)
    links = sources_clean(sources)
    try:
        with write_path():
            incident = Incident.objects.create(
                unit=unit, unit_path=unit.path, title=title.strip()[:120], description=(description or "").strip(),
                place_unit=place_unit, place_text=(place_text or "").strip()[:200], reported_at=reported_at,
                sources=links, severity=severity, statement_due=reported_at + dt.timedelta(hours=statement_hours()),
                client_token=token, created_by=actor, created_at=now)
            audit_record(actor=actor, action="incident.create", obj=incident, now=now)
    except IntegrityError:
        done = Incident.objects.filter(client_token=token).first() if token else None
        if done is None:
            raise
        return done
    return incident


def incident_update(*, actor, incident: Incident, version: int | None, title: str, reported_at, description: str = "",
                    place_unit=None, place_text: str = "", sources=(), severity: str = Severity.GENERAL,
                    now=None) -> Incident:
    """Correct the record; a changed first report time moves the statement deadline with it."""
    now = now or timezone.now()
    require(actor, Action.EDIT, incident.unit_path)
    if incident.is_closed:
        raise ValidationError(_("事件已办结，不能再修改。"), code="incident_closed")
    reported_at = _aware(reported_at) if reported_at is not None else None
    _check_fields(unit=incident.unit, title=title, reported_at=reported_at, place_unit=place_unit, severity=severity,
                  now=now)
    if incident.first_action_at is not None and reported_at > incident.first_action_at:
        raise ValidationError(_("首次报告时间不能晚于已记录的行动时间。"), code="incident_reported_at")
    values = {"title": title.strip()[:120], "description": (description or "").strip(), "place_unit": place_unit,
              "place_text": (place_text or "").strip()[:200], "reported_at": reported_at,
              "sources": sources_clean(sources), "severity": severity}
    if reported_at != incident.reported_at:
        values["statement_due"] = reported_at + dt.timedelta(hours=statement_hours())
    changes = {k: [str(getattr(incident, k)), str(v)] for k, v in values.items() if getattr(incident, k) != v}
    with write_path():
        updated = Incident.objects.filter(pk=incident.pk, version=version or 0).exclude(
            status=IncidentStatus.CLOSED).update(version=F("version") + 1, **values)
        if not updated:
            raise Conflict(STALE, code="incident_stale")
        incident.refresh_from_db()
        audit_record(actor=actor, action="incident.update", obj=incident, changes=changes, now=now)
    return incident


def action_add(*, actor, incident: Incident, kind: str, text: str, at=None, client_token=None,
               now=None) -> IncidentAction:
    """行动: the first one starts the response (待响应 → 处置中) and is kept as the incident's first action time."""
    now = now or timezone.now()
    require(actor, Action.EDIT, incident.unit_path)
    token = _token(client_token)
    if token:
        done = IncidentAction.objects.filter(client_token=token, incident=incident).first()
        if done is not None:
            return done
    if incident.is_closed:
        raise ValidationError(_("事件已办结，不能再记录行动。"), code="incident_closed")
    if kind not in ActionKind.values:
        raise ValidationError(_("请选择行动类别。"), code="action_kind")
    if not (text or "").strip():
        raise ValidationError(_("请填写做了什么。"), code="action_text")
    at = _aware(at) if at is not None else now
    if at > now + FUTURE_SLACK:
        raise ValidationError(_("行动时间不能晚于现在。"), code="action_at")
    if at < incident.reported_at:
        raise ValidationError(_("行动时间不能早于首次报告时间。"), code="action_at")
    try:
        with write_path():
            action = IncidentAction.objects.create(
                incident=incident, unit_path=incident.unit_path, kind=kind, text=text.strip()[:4000], at=at,
                recorded_by=actor, recorded_at=now, client_token=token)
            Incident.objects.filter(pk=incident.pk).filter(
                Q(first_action_at__isnull=True) | Q(first_action_at__gt=at)).update(first_action_at=at)
            Incident.objects.filter(pk=incident.pk, status=IncidentStatus.OPEN).update(
                status=IncidentStatus.RESPONDING)
            audit_record(actor=actor, action="incident.action_add", obj=incident,
                         changes={"action": action.pk, "kind": kind, "at": at.isoformat()}, now=now)
    except IntegrityError:
        done = IncidentAction.objects.filter(client_token=token).first() if token else None
        if done is None or done.incident_id != incident.pk:
            raise
        return done
    incident.refresh_from_db()
    return action


def case_find(user, reference: str) -> Case:
    """A case she may handle, by its number or tracking code; one message for missing and not hers alike."""
    ref = (reference or "").strip()
    case = None
    if is_ascii_digits(ref) and len(ref) <= 18:
        case = Case.objects.filter(pk=int(ref)).first()
    if case is None and ref:
        case = Case.objects.filter(tracking_code=normalize_tracking(ref)).first()
    if case is None or not may_handle(user, case):
        raise ValidationError(_("找不到这件个案，或您不是它的经办人：只有能办理个案的人可以关联它。"),
                              code="incident_case")
    return case


def case_link(*, actor, incident: Incident, case: Case, now=None) -> IncidentCase:
    """Link a woman concerned through her case: only someone who may handle the case (need-to-know)."""
    now = now or timezone.now()
    require(actor, Action.EDIT, incident.unit_path)
    if not may_handle(actor, case):
        raise ValidationError(_("找不到这件个案，或您不是它的经办人：只有能办理个案的人可以关联它。"),
                              code="incident_case")
    done = IncidentCase.objects.filter(incident=incident, case=case).first()
    if done is not None:
        return done
    try:
        with write_path():
            link = IncidentCase.objects.create(incident=incident, case=case, linked_by=actor, linked_at=now)
            audit_record(actor=actor, action="incident.case_link", obj=incident, changes={"case": case.pk}, now=now)
    except IntegrityError:
        return IncidentCase.objects.get(incident=incident, case=case)
    return link


def reviewers_of(incident: Incident, *, author_id: int | None = None) -> list:
    """Who publishes the statement: the chairs and vice-chairs of the nearest level (the incident's unit, else the
    one above, …) that has one who may review it (core.policy.may_review_article; never the author)."""
    paths = ancestor_paths(incident.unit_path)
    by_path = defaultdict(list)
    for user in User.objects.filter(is_active=True, unit__path__in=paths).select_related("unit").order_by("pk"):
        if may_review_article(user, incident.unit_path, author_id=author_id):
            by_path[user.unit.path].append(user)
    for path in reversed(paths):
        if by_path[path]:
            return by_path[path]
    return []


def leaders_of(incident: Incident) -> list:
    """The chairs and vice-chairs of the incident's own unit."""
    return [u for u in User.objects.filter(is_active=True, unit_id=incident.unit_id).order_by("pk")
            if has_leader_role(u)]


def _notify(users, *, subject: str, link: str, now) -> None:
    for user in users:
        outbox_put(channel="in_app", user=user, subject=subject, link=link, now=now)
        outbox_put(channel="sms", user=user, address=user.phone, subject=subject, link=link, now=now)


def _due_text(incident: Incident) -> str:
    return timezone.localtime(incident.statement_due).strftime("%Y-%m-%d %H:%M")


def statement_current(incident: Incident) -> IncidentStatement | None:
    return IncidentStatement.objects.filter(incident=incident).select_related("article").first()


def statement_save(*, actor, incident: Incident, title: str, body: str, category: str = Category.NOTICE,
                   submit: bool = True, now=None) -> IncidentStatement:
    """Write the statement (a portal article of the incident's unit) and, with `submit`, send it to review at once:
    the reviewers hear of it in the app and by SMS, with the deadline. A draft or a piece sent back is edited in
    place; the same text sent again while it waits for review changes nothing (a double submit)."""
    now = now or timezone.now()
    require(actor, Action.EDIT, incident.unit_path)
    if incident.is_closed:
        raise ValidationError(_("事件已办结，不能再发声明。"), code="incident_closed")
    if category not in STATEMENT_CATEGORIES:
        raise ValidationError(_("声明只能发在“通知公告”或“改革信息台”栏目。"), code="statement_category")
    current = statement_current(incident)
    article = current.article if current else None
    if article is not None and article.status == ArticleStatus.REVIEW:
        if article.title == (title or "").strip()[:120] and article.body == (body or "").strip():
            return current
        raise ValidationError(_("上一份声明正在审核，请等审核结果后再改。"), code="statement_in_review")
    editable = article is not None and article.status in (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN)
    with write_path():
        article = article_save(actor=actor, unit=incident.unit, title=title, body=body, category=category,
                               article=article if editable else None)
        if editable:
            statement = current
        else:
            statement = IncidentStatement.objects.create(incident=incident, article=article,
                                                         unit_path=incident.unit_path, created_by=actor,
                                                         created_at=now)
        if submit:
            article_submit(actor=actor, article=article)
            IncidentStatement.objects.filter(pk=statement.pk).update(submitted_at=now)
            statement.submitted_at = now
            reviewers = reviewers_of(incident, author_id=actor.pk)
            _notify(reviewers, subject=_("维权事件声明待审：%(title)s，须在%(due)s前发布")
                    % {"title": article.title[:40], "due": _due_text(incident)},
                    link=reverse("publish_detail", kwargs={"article_id": article.pk}), now=now)
        audit_record(actor=actor, action="incident.statement_submit" if submit else "incident.statement_draft",
                     obj=incident, changes={"article": article.pk,
                                            "reviewers": [u.pk for u in reviewers] if submit else []}, now=now)
    statement.article = article
    return statement


def incidents_statement_sync(*, incidents=None, now=None) -> int:
    """Fill the first statement time of incidents whose statement the portal has published since (the portal knows
    nothing of incidents, so whoever looks — the page, the API, the chase — brings the record up to date)."""
    now = now or timezone.now()
    rows = incidents if incidents is not None else Incident.objects.all()
    pending = (rows.filter(first_statement_at__isnull=True)
               .annotate(published=Min("statements__article__published_at"))
               .filter(published__isnull=False).values_list("pk", "published"))
    count = 0
    for pk, published in pending:
        with write_path():
            if not Incident.objects.filter(pk=pk, first_statement_at__isnull=True).update(
                    first_statement_at=published):
                continue
            Incident.objects.filter(pk=pk, status=IncidentStatus.OPEN).update(status=IncidentStatus.RESPONDING)
            incident = Incident.objects.get(pk=pk)
            audit_record(actor=None, action="incident.statement_published", obj=incident,
                         changes={"first_statement_at": published.isoformat(),
                                  "on_time": published <= incident.statement_due}, now=now)
        count += 1
    return count


def incident_close(*, actor, incident: Incident, outcome: str, version: int | None, now=None) -> Incident:
    """办结 with the outcome."""
    now = now or timezone.now()
    require(actor, Action.EDIT, incident.unit_path)
    if not (outcome or "").strip():
        raise ValidationError(_("请填写处置结果。"), code="incident_outcome")
    if incident.is_closed:
        raise Conflict(_("事件已经办结。"), code="incident_closed")
    with write_path():
        updated = Incident.objects.filter(pk=incident.pk, version=version or 0).exclude(
            status=IncidentStatus.CLOSED).update(status=IncidentStatus.CLOSED, outcome=outcome.strip()[:4000],
                                                 closed_at=now, version=F("version") + 1)
        if not updated:
            raise Conflict(STALE, code="incident_stale")
        incident.refresh_from_db()
        audit_record(actor=actor, action="incident.close", obj=incident, now=now)
    return incident


def incidents_chase(*, now=None) -> dict:
    """Periodic: an incident without a published statement whose deadline is within two hours, or past, reminds its
    reviewers and its unit's leaders — once at each stage (due soon, late)."""
    now = now or timezone.now()
    open_rows = Incident.objects.exclude(status=IncidentStatus.CLOSED)
    incidents_statement_sync(incidents=open_rows, now=now)
    counts = {"due_soon": 0, "late": 0}
    due = (open_rows.filter(first_statement_at__isnull=True, statement_due__lte=now + CHASE_BEFORE, chase_stage__lt=2)
           .select_related("unit").order_by("statement_due", "pk"))
    for incident in due:
        stage = 2 if now > incident.statement_due else 1
        if incident.chase_stage >= stage:
            continue
        current = statement_current(incident)
        waiting = current is not None and current.article.status == ArticleStatus.REVIEW
        users = {u.pk: u for u in leaders_of(incident)}
        users.update({u.pk: u for u in reviewers_of(incident, author_id=current.article.author_id if current
                                                     else None)})
        if stage == 2:
            subject = _("维权事件声明已逾期：%(title)s（时限%(due)s）") % {"title": incident.title[:40],
                                                                   "due": _due_text(incident)}
        else:
            subject = _("维权事件声明将在2小时内到期：%(title)s（时限%(due)s）") % {"title": incident.title[:40],
                                                                         "due": _due_text(incident)}
        link = (reverse("publish_detail", kwargs={"article_id": current.article_id}) if waiting
                else reverse("incident_detail", kwargs={"incident_id": incident.pk}))
        with write_path():
            if not Incident.objects.filter(pk=incident.pk, chase_stage__lt=stage).update(chase_stage=stage):
                continue
            _notify(users.values(), subject=subject, link=link, now=now)
            audit_record(actor=None, action="incident.chase", obj=incident,
                         changes={"stage": stage, "notified": sorted(users)}, now=now)
        counts["late" if stage == 2 else "due_soon"] += 1
    return counts

