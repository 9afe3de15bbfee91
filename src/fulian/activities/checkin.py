"""Check-in (签到) to a session: by the session's QR code that changes every minute (her phone, no sign-in), by the
organiser's tick on her phone's list, or as a walk-in. Every way, and the attendance-sheet import, goes through
`attendance_record`, which counts the figures in the same write (activity_attendances; women_reached and
families_reached once per person or family, activity unit and month; women_reached_year once per woman, unit and
year), so the figures are live and equal to the
recount from the records (activities.figures).

A walk-in is recorded by name and phone and linked to a registry record only when exactly one woman under the
activity's unit has that phone: no registry record is made and no ID number is asked. A woman on the waiting list
who comes anyway is recorded, linked to her sign-up, and her sign-up stays on the waiting list (she takes no one's
place, and the queue keeps its order).
"""

import base64
import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db.models import Min, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.context import current_origin
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.phone import normalize_phone
from fulian.core.policy import OutOfScope, may_act_for_unit
from fulian.core.ratelimit import rate_hit
from fulian.core.tree import next_path
from fulian.core.writes import prepared_cursor, write_first, write_path
from fulian.people.models import Woman

from .figures import FAMILIES_REACHED, REACHED, REACHED_YEAR
from .models import Activity, ActivityStatus, Attendance, AttendanceMethod, Session, SignUp, SignUpState

CHECKIN_OPENS_BEFORE = dt.timedelta(minutes=30)  # scanning opens this long before a session starts
CODE_LENGTH = 10  # url-safe characters of the HMAC: 60 bits
EXPIRED_LOOKBACK = 240  # minutes: an older code (or none of this session's) is called wrong, not expired
PASS_SECONDS = 600  # after a good scan she has this long to type her phone and name
UNDO_AFTER_END = dt.timedelta(hours=2)  # a wrong tick can be undone until this long after the session ends
ROLL_ROWS = 500
_PASS_SALT = "fulian.activities.checkin"  # noqa: S105  (a signing salt, not a secret)


class TooManyCheckins(ValidationError):
    def __init__(self):
        super().__init__(_("这个网络地址提交的签到太多，请稍后再试。"), code="checkin_rate")


# ---- the rotating code ----

def _minute(now: dt.datetime) -> int:
    return int(now.timestamp() // 60)


def _code_at(session: Session, minute: int) -> str:
    digest = hmac.new(session.secret.encode(), f"{session.pk}:{minute}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:CODE_LENGTH]


def checkin_code(session: Session, *, now: dt.datetime) -> str:
    """The code of this minute: what the session's QR code carries now."""
    return _code_at(session, _minute(now))


def checkin_opens_at(session: Session) -> dt.datetime:
    return session.starts_at - CHECKIN_OPENS_BEFORE


def checkin_is_open(session: Session, *, now: dt.datetime) -> bool:
    """Scanning is open from CHECKIN_OPENS_BEFORE before the session starts until it ends, on a published
    activity."""
    return session.activity.status == ActivityStatus.PUBLISHED and checkin_opens_at(session) <= now <= \
        session.ends_at


def _open_check(session: Session, moment: dt.datetime) -> None:
    if session.activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError(_("这个活动没有发布或已经取消，不能签到。"), code="checkin_not_published")
    if moment < checkin_opens_at(session):
        raise ValidationError(
            _("还没到签到时间：%(time)s起（开始前%(m)d分钟）可以签到。")
            % {"time": timezone.localtime(checkin_opens_at(session)).strftime("%m-%d %H:%M"),
               "m": CHECKIN_OPENS_BEFORE.seconds // 60}, code="checkin_not_yet")
    if moment > session.ends_at:
        raise ValidationError(_("这一场已经结束，不能再扫码签到了。确实参加了的，请找组织者登记。"),
                              code="checkin_ended")


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def checkin_code_check(session: Session, code: str, *, now: dt.datetime) -> None:
    """Go on only for this minute's code or the last minute's (a phone scanning at the turn of a minute), while
    the session is open; otherwise a ValidationError that says why (not yet, ended, expired, wrong)."""
    _open_check(session, now)
    code = (code or "").strip()
    minute = _minute(now)
    if len(code) == CODE_LENGTH:
        current, previous = _same(code, _code_at(session, minute)), _same(code, _code_at(session, minute - 1))
        if current or previous:
            return
        oldest = max(minute - EXPIRED_LOOKBACK, _minute(checkin_opens_at(session)) - 1)
        if any(_same(code, _code_at(session, m)) for m in range(minute - 2, oldest - 1, -1)):
            raise ValidationError(_("签到码已过期（二维码每分钟更新一次），请重新扫描现场的二维码。"),
                                  code="checkin_expired")
    raise ValidationError(_("签到码不正确，请扫描现场的二维码。"), code="checkin_wrong_code")


def checkin_code_valid(session: Session, code: str, *, now: dt.datetime) -> bool:
    try:
        checkin_code_check(session, code, now=now)
    except ValidationError:
        return False
    return True


def checkin_pass(session: Session, *, now: dt.datetime) -> str:
    """A signed pass put in the check-in form after a good scan: typing her phone may take longer than the code
    lives, so the form is accepted for PASS_SECONDS after the scan."""
    return signing.dumps({"s": session.pk, "t": int(now.timestamp())}, salt=_PASS_SALT)


def _pass_check(session: Session, token: str, *, now: dt.datetime) -> None:
    try:
        data = signing.loads(token or "", salt=_PASS_SALT)
        session_id, scanned = int(data["s"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        session_id, scanned = None, None
    if session_id != session.pk or not 0 <= now.timestamp() - scanned <= PASS_SECONDS:
        raise ValidationError(_("页面打开太久了，请重新扫描现场的二维码。"), code="checkin_pass_expired")
    _open_check(session, dt.datetime.fromtimestamp(scanned, tz=dt.UTC))


def checkin_by_code(*, session: Session, phone: str, name: str = "", code: str = "", form_pass: str = "",
                    client_token: str | None = None, now=None) -> Attendance:
    """The woman checks herself in (the public page, the app): with this minute's code, or with the form's pass
    given after a good scan. Limited per address, as every public post is."""
    now = now or timezone.now()
    limit = getattr(settings, "CHECKINS_PER_ADDRESS", 300)
    if not rate_hit("checkin-address", current_origin().ip, limit=limit, seconds=3600, now=now.timestamp()):
        raise TooManyCheckins()
    if form_pass:
        _pass_check(session, form_pass, now=now)
    else:
        checkin_code_check(session, code, now=now)
    return attendance_record(session=session, name=name, phone=phone, method=AttendanceMethod.QR,
                             client_token=client_token, now=now)


# ---- the one write path ----

def _month(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local month around `moment` (as period_of and the recount read it)."""
    start = timezone.localtime(moment).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = timezone.make_aware(dt.datetime.combine((start + dt.timedelta(days=32)).replace(day=1).date(), dt.time()))
    return start, end


def _year(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local calendar year around `moment`."""
    start = timezone.localtime(moment).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, start.replace(year=start.year + 1)


def _year_first(unit_path: str, phone: str, moment: dt.datetime):
    """An expression: her earliest check-in at this unit in `moment`'s year (None when there is none)."""
    start, end = _year(moment)
    rows = Attendance.objects.filter(unit_path=unit_path, phone=phone, checked_at__gte=start, checked_at__lt=end)
    return Subquery(rows.order_by().values("phone").annotate(first=Min("checked_at")).values("first")[:1])


def _year_deltas(unit_path: str, *, first_before, first_after) -> list:
    """women_reached_year sits in the month of her first check-in of the year at the unit: move it when a check-in
    added (or removed) changes which one is first."""
    before = period_of(first_before) if first_before else None
    after = period_of(first_after) if first_after else None
    if before == after:
        return []
    deltas = []
    if before is not None:
        deltas.append((unit_path, before, REACHED_YEAR, -1))
    if after is not None:
        deltas.append((unit_path, after, REACHED_YEAR, 1))
    return deltas


_FACTS_SQL: dict[bool, str] = {}


def _facts_sql(bounded: bool) -> str:
    """The facts query, written once: building and compiling it with the ORM on every check-in (eleven
    subqueries) cost several times what the database spends on it."""
    sql = _FACTS_SQL.get(bounded)
    if sql is None:
        attendance, woman, signup = (connection.ops.quote_name(m._meta.db_table) for m in (Attendance, Woman, SignUp))
        month = "a.unit_path = %s AND a.checked_at >= %s AND a.checked_at < %s"
        women = (f"FROM {woman} w WHERE w.phone = %s AND w.unit_path >= %s"  # noqa: S608  (names, no data)
                 f"{' AND w.unit_path < %s' if bounded else ''} AND w.merged_into_id IS NULL")
        sql = _FACTS_SQL[bounded] = (
            f"SELECT EXISTS (SELECT 1 FROM {attendance} a WHERE a.phone = %s AND {month}), "  # noqa: S608
            f"(SELECT MIN(a.checked_at) FROM {attendance} a WHERE a.phone = %s AND {month}), "
            f"(SELECT COUNT(*) {women}), (SELECT MIN(w.id) {women}), "
            f"s.id, s.name, s.woman_id, s.family_id, "
            f"EXISTS (SELECT 1 FROM {attendance} a WHERE a.family_id = COALESCE(%s, s.family_id) AND {month}), s.state "
            f"FROM (SELECT 1 AS one) o LEFT JOIN {signup} s "
            f"ON s.activity_id = %s AND s.phone = %s AND s.state <> %s")
    return sql


def _moment(value):
    """A timestamp read by raw SQL: PostgreSQL gives it aware, SQLite as UTC text."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)


def _facts(session: Session, phone: str, signup: SignUp | None, moment: dt.datetime) -> dict:
    """What a check-in needs to know, in one query: her live sign-up (when none was given), the registry women
    under the activity's unit with her phone, whether she (or her family) has checked in at this unit this month
    already, and her first check-in there this year."""
    adapt = connection.ops.adapt_datetimefield_value
    path = session.unit_path
    month = [path, *(adapt(m) for m in _month(moment))]
    year = [path, *(adapt(m) for m in _year(moment))]
    upper = next_path(path)
    women = [phone, path, *([upper] if upper else [])]
    params = [phone, *month, phone, *year, *women, *women, signup.family_id if signup else None, *month,
              session.activity_id if signup is None else None, phone, SignUpState.CANCELLED]
    with prepared_cursor(len(params)) as cursor:
        cursor.execute(_facts_sql(upper is not None), params)
        row = cursor.fetchone()
    facts = {"seen": bool(row[0]), "year_first": _moment(row[1]), "registry_n": row[2], "registry_id": row[3],
             "family_seen": bool(row[8])}
    if signup is None:
        facts.update(signup_pk=row[4], signup_name=row[5], signup_woman_id=row[6], signup_family_id=row[7],
                     signup_state=row[9])
    return facts


def _deltas(session: Session, moment, *, person_seen: bool, family_id, family_seen: bool, sign: int) -> list:
    period = period_of(moment)
    deltas = [(session.unit_path, period, "activity_attendances", sign)]
    if not person_seen:
        deltas.append((session.unit_path, period, REACHED, sign))
    if family_id and not family_seen:
        deltas.append((session.unit_path, period, FAMILIES_REACHED, sign))
    return deltas


def attendance_record(*, session: Session, name: str = "", phone: str = "", method: str, signup: SignUp | None = None,
                      actor=None, client_token: str | None = None, now=None) -> Attendance:
    """She was at `session`: one Attendance, linked to her live sign-up on the activity (the one given, or the one
    found by her phone), else a walk-in by `name` and `phone`. `actor` (a cadre acting for the activity's unit) for
    ticks, walk-ins and sheets; None only for her own QR check-in (the caller has checked the code). The same phone
    twice in a session, or the same client token again, gives the first attendance back. Refused before the
    session opens for check-in; recorded after its end (a tick or a sheet entered later)."""
    now = now or timezone.now()
    if method not in AttendanceMethod.values:
        raise ValidationError(_("签到方式不正确。"), code="checkin_method")
    if actor is not None:
        if not may_act_for_unit(actor, session.unit_path):
            raise OutOfScope("may not record attendance here")
    elif method != AttendanceMethod.QR:
        raise OutOfScope("only a cadre ticks, adds walk-ins or imports a sheet")
    if session.activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError(_("这个活动没有发布或已经取消，不能签到。"), code="checkin_not_published")
    if now < checkin_opens_at(session):
        raise ValidationError(_("这一场还没开始：开始前%(m)d分钟起才能签到。") % {
            "m": CHECKIN_OPENS_BEFORE.seconds // 60}, code="checkin_not_yet")
    if signup is not None:
        if signup.activity_id != session.activity_id:
            raise ValidationError(_("这个报名不是本活动的。"), code="checkin_signup_activity")
        if signup.state == SignUpState.CANCELLED:
            raise ValidationError(_("这个报名已经取消了。"), code="checkin_signup_cancelled")
        phone, name = signup.phone, signup.name
    else:
        phone = normalize_phone(phone)
        if not phone:
            raise ValidationError(_("请填写手机号。"), code="checkin_phone")
    client_token = (client_token or "").strip()[:40] or None
    facts = _facts(session, phone, signup, now)
    if signup is not None:
        signup_id, woman_id, family_id, state = signup.pk, signup.woman_id, signup.family_id, signup.state
    else:
        signup_id, woman_id, family_id = facts["signup_pk"], facts["signup_woman_id"], facts["signup_family_id"]
        state = facts["signup_state"]
        name = facts["signup_name"] if signup_id else (name or "").strip()[:30]
        if not name:
            raise ValidationError(_("这个手机号没有报名本活动：请填写姓名，按现场登记签到。"), code="checkin_name")
    if woman_id is None and facts["registry_n"] == 1:
        woman_id = facts["registry_id"]
    attendance = Attendance(session=session, activity_id=session.activity_id, unit_path=session.unit_path,
                            signup_id=signup_id, woman_id=woman_id, family_id=family_id, name=name, phone=phone,
                            method=method, checked_at=now, checked_by=actor, client_token=client_token)
    try:  # a second tick, a double submit or a re-scan fails a unique index: no lookup first
        with write_path(collect_only=True):  # on PostgreSQL one statement in autocommit: no BEGIN, no COMMIT
            write_first(attendance)
            audit_record(actor=actor, action="attendance.record", obj=attendance,
                         changes={"method": method, "walk_in": signup_id is None}, now=now)
            figures_add(_deltas(session, now, person_seen=facts["seen"], family_id=family_id,
                                family_seen=facts.get("family_seen", False), sign=1))
            first = facts["year_first"]
            figures_add(_year_deltas(session.unit_path, first_before=first,
                                     first_after=now if first is None or now < first else first))
    except IntegrityError:
        done = _recorded(session, phone, client_token)
        if done is None:
            raise
        return done
    attendance.was_waiting = state == SignUpState.WAITING  # what is_waiting answers without asking again
    return attendance


def _recorded(session: Session, phone: str, client_token: str | None) -> Attendance | None:
    if client_token:
        done = Attendance.objects.filter(client_token=client_token).first()
        if done is not None:
            if done.session_id != session.pk or done.phone != phone:
                raise Conflict(_("这个提交标记已用于另一条签到，请刷新页面后再试。"), code="checkin_token_reused")
            return done
    return Attendance.objects.filter(session=session, phone=phone).first()


def attendance_remove(*, actor, attendance: Attendance, now=None) -> None:
    """Undo a wrong tick (or a check-in that was not hers), until UNDO_AFTER_END after the session; the figures
    go down with it (reached only when it was her, or her family's, only check-in there that month)."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, attendance.unit_path):
        raise OutOfScope("may not remove attendance here")
    session = attendance.session
    if now > session.ends_at + UNDO_AFTER_END:
        raise ValidationError(_("这一场结束已超过%(h)d小时，签到不能再撤销。") % {
            "h": UNDO_AFTER_END.seconds // 3600}, code="checkin_undo_late")
    with write_path():
        current = Attendance.objects.select_for_update().filter(pk=attendance.pk).first()
        if current is None:
            raise Conflict(_("这条签到已经撤销了。"), code="checkin_gone")
        audit_record(actor=actor, action="attendance.remove", obj=current,
                     changes={"name": current.name, "method": current.method}, now=now)
        first_before = Attendance.objects.filter(pk=current.pk).values(
            first=_year_first(current.unit_path, current.phone, current.checked_at)).get()["first"]
        current.delete()
        first_after = Attendance.objects.filter(unit_path=current.unit_path, phone=current.phone,
                                                checked_at__gte=_year(current.checked_at)[0],
                                                checked_at__lt=_year(current.checked_at)[1]).aggregate(
            first=Min("checked_at"))["first"]
        figures_add(_year_deltas(current.unit_path, first_before=first_before, first_after=first_after))
        start, end = _month(current.checked_at)
        this_month = Attendance.objects.filter(unit_path=current.unit_path, checked_at__gte=start,
                                               checked_at__lt=end)
        figures_add(_deltas(
            session, current.checked_at, person_seen=this_month.filter(phone=current.phone).exists(),
            family_id=current.family_id,
            family_seen=bool(current.family_id) and this_month.filter(family_id=current.family_id).exists(),
            sign=-1))


# ---- reads ----

_SESSION_READ: dict = {}


def _session_read() -> tuple:
    """The statement that reads a published session with its activity, and how to turn its columns into the two
    models, made once: every check-in asks it, and the ORM's compiler cost several times the query."""
    known = _SESSION_READ.get(connection.vendor)
    if known is None:
        qn = connection.ops.quote_name
        parts = []
        for model, alias in ((Session, "s"), (Activity, "a")):
            fields = model._meta.concrete_fields
            cols = [f.get_col(alias) for f in fields]
            converters = [connection.ops.get_db_converters(c) + c.get_db_converters(connection) for c in cols]
            parts.append((model, [f.attname for f in fields], list(zip(cols, converters, strict=True)),
                          ", ".join(f"{alias}.{qn(f.column)}" for f in fields)))
        sql = (f"SELECT {parts[0][3]}, {parts[1][3]} FROM {qn(Session._meta.db_table)} s "  # noqa: S608  (names)
               f"JOIN {qn(Activity._meta.db_table)} a ON a.{qn('id')} = s.{qn('activity_id')} "
               f"WHERE s.{qn('id')} = %s AND a.{qn('status')} = %s")
        known = _SESSION_READ[connection.vendor] = (sql, [part[:3] for part in parts])
    return known


def session_for_checkin(session_id) -> Session | None:
    """The session a public check-in link names, if its activity is published (else None: the page is a 404)."""
    try:
        pk = int(session_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 1 <= pk <= 2**53:
        return None
    sql, parts = _session_read()
    with prepared_cursor(2) as cursor:
        cursor.execute(sql, [pk, ActivityStatus.PUBLISHED.value])
        row = cursor.fetchone()
    if row is None:
        return None
    made, start = [], 0
    for model, names, columns in parts:
        values = list(row[start : start + len(names)])
        start += len(names)
        for i, (col, converters) in enumerate(columns):
            for convert in converters:
                values[i] = convert(values[i], col, connection)
        made.append(model.from_db(connection.alias, names, values))
    session, activity = made
    Session.activity.field.set_cached_value(session, activity)
    return session


def attendance_count(session: Session) -> int:
    return Attendance.objects.filter(session=session).count()


def attendances_of(session: Session):
    """Who checked in, latest first (the caller has access to the session)."""
    return Attendance.objects.filter(session=session).select_related("checked_by").order_by("-checked_at", "-pk")


def attendance_of_session(session: Session, attendance_id) -> Attendance | None:
    try:
        return Attendance.objects.select_related("session__activity").filter(session=session,
                                                                             pk=int(attendance_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def signup_of_session(session: Session, signup_id) -> SignUp | None:
    """A sign-up of the session's activity by id (the caller has access to the session)."""
    try:
        return SignUp.objects.filter(activity_id=session.activity_id, pk=int(signup_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def is_waiting(attendance: Attendance) -> bool:
    """Whether she checked in while her sign-up is on the waiting list (the page tells her so)."""
    known = getattr(attendance, "was_waiting", None)
    if known is not None:
        return known
    return attendance.signup_id is not None and SignUp.objects.filter(pk=attendance.signup_id,
                                                                      state=SignUpState.WAITING).exists()


def roll_of(session: Session, *, q: str = "") -> dict:
    """The organiser's tick list: confirmed sign-ups (name order) each with her attendance or None, and the other
    check-ins of the session (walk-ins, waiting-list women)."""
    signups = SignUp.objects.filter(activity_id=session.activity_id, state=SignUpState.CONFIRMED)
    q = (q or "").strip()[:30]
    if q:
        signups = signups.filter(phone__contains=q) if q.isdigit() else signups.filter(name__contains=q)
    signups = list(signups.order_by("name", "pk")[:ROLL_ROWS + 1])
    attended = list(Attendance.objects.filter(session=session).order_by("-checked_at", "-pk"))
    by_signup = {a.signup_id: a for a in attended if a.signup_id}
    by_phone = {a.phone: a for a in attended}
    rows = [{"signup": s, "attendance": by_signup.get(s.pk) or by_phone.get(s.phone)} for s in signups[:ROLL_ROWS]]
    confirmed = list(SignUp.objects.filter(activity_id=session.activity_id, state=SignUpState.CONFIRMED)
                     .values_list("pk", "phone"))
    confirmed_ids, confirmed_phones = {pk for pk, _p in confirmed}, {p for _pk, p in confirmed}
    others = [a for a in attended if a.signup_id not in confirmed_ids and a.phone not in confirmed_phones]
    return {"rows": rows, "more": len(signups) > ROLL_ROWS, "others": others, "count": len(attended),
            "confirmed": len(confirmed)}


def name_masked(name: str) -> str:
    """王*兰, 王*: what a public page shows of a name it looked up by phone."""
    name = name or ""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
