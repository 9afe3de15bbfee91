"""An activity's paper sign-in sheet (签到表) imported from Excel: one row per person per session (name, phone, the
session's number). Every bad row is reported with its row number, column and reason, as the women roster's are,
and the good rows are recorded — through the check-in's own service (activities.checkin.attendance_record, method
"sheet"), so the one-per-phone-per-session rule and the figures (activity_attendances, women_reached,
families_reached) are the check-in's. Re-importing the same file records nothing new.

A sheet is one activity's, a few hundred rows: it is read at once, within SHEET_MAX_ROWS, not as a background job."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.excel import Column, Roster, RowError, error_xlsx, template_xlsx
from fulian.core.imports import upload_check
from fulian.core.phone import normalize_phone
from fulian.core.policy import OutOfScope, may_act_for_unit

from .checkin import attendance_record
from .models import Activity, ActivityStatus, Attendance, AttendanceMethod

SHEET_MAX_ROWS = 5000
COLUMNS = [
    Column("name", "姓名", required=True, example="王秀兰", width=12),
    Column("phone", "手机号", required=True, example="13812345678", note="11位手机号", width=14, text=True),
    Column("session", "场次", required=True, example="1", note="第几场（活动页面上的场次编号）", width=8),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class SheetResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_file: bytes = b""

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


def attendance_template(activity: Activity) -> bytes:
    return template_xlsx(COLUMNS, sheet_title=_("签到表"), notes=[
        _("每行一人一场；同一人参加多场，每场一行。场次：%(numbers)s。") % {
            "numbers": "、".join(str(s.number) for s in activity.sessions.order_by("number"))},
        _("有问题的行不会导入，页面会列出行号、列和原因；改正后可以重新导入整个文件，已导入的不会重复登记。"),
    ])


def _number(value) -> int | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return int(number) if number == number.to_integral_value() else None


def attendance_sheet_import(*, actor, activity: Activity, upload, now=None) -> SheetResult:
    """Record the sheet's good rows as attendances (method "sheet", at the session's start) and report the bad
    ones. Refused whole (ValidationError) when the file is unreadable, too long, or the activity is not published."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, activity.unit_path):
        raise OutOfScope("may not record attendance here")
    if activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError(_("只有已发布的活动可以导入签到表。"), code="sheet_not_published")
    upload_check(upload)
    sessions = {s.number: s for s in activity.sessions.select_related("activity")}
    roster = Roster(upload, COLUMNS)
    if roster.estimated_rows > SHEET_MAX_ROWS:
        roster.close()
        raise ValidationError(_("签到表最多%(n)d行，请分成几个文件导入。") % {"n": SHEET_MAX_ROWS}, code="sheet_long")
    result, originals, seen, good = SheetResult(), {}, {}, []
    try:
        for number, record, values in roster:
            if number - roster.header_row > SHEET_MAX_ROWS:
                raise ValidationError(_("签到表最多%(n)d行，请分成几个文件导入。") % {"n": SHEET_MAX_ROWS},
                                      code="sheet_long")
            problems = _row_problems(record, sessions, now)
            if not problems:
                key = (record["session_obj"].pk, record["phone_clean"])
                if key in seen:
                    problems.append(("phone", _("与第%(row)d行是同一人同一场。") % {"row": seen[key]}))
                seen.setdefault(key, number)
            if problems:
                originals[number] = values
                result.errors += [RowError(number, TITLES[k], record.get(k), m) for k, m in problems]
            else:
                good.append((number, record, values))
    finally:
        roster.close()
    for number, record, values in good:
        session, phone = record["session_obj"], record["phone_clean"]
        if Attendance.objects.filter(session=session, phone=phone).exists():
            result.unchanged += 1
            continue
        try:
            attendance_record(session=session, name=record["name_clean"], phone=phone, method=AttendanceMethod.SHEET,
                              actor=actor, now=session.starts_at)
        except ValidationError as exc:
            originals[number] = values
            result.errors.append(RowError(number, "", "", " ".join(exc.messages)))
        else:
            result.created += 1
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        result.error_file = error_xlsx(result.errors, header=roster.header, originals=originals)
    audit_record(actor=actor, action="activity.attendance_import", obj=activity, changes={
        "file": getattr(upload, "name", "")[:100], "created": result.created, "unchanged": result.unchanged,
        "error_rows": result.error_rows}, now=now)
    return result


def _row_problems(record: dict, sessions: dict, now) -> list[tuple[str, str]]:
    """What is wrong with a row, by column key; fills name_clean, phone_clean and session_obj when right."""
    problems = []
    name = str(record.get("name") or "").strip()
    if not name:
        problems.append(("name", _("姓名为空。")))
    elif len(name) > 30:
        problems.append(("name", _("姓名太长（最多30个字）。")))
    try:
        phone = normalize_phone(record.get("phone"))
    except ValidationError as exc:
        phone = ""
        problems.append(("phone", " ".join(exc.messages)))
    else:
        if not phone:
            problems.append(("phone", _("手机号为空。")))
    raw = record.get("session")
    number = _number(raw) if raw not in (None, "") else None
    session = sessions.get(number) if number is not None else None
    if raw in (None, ""):
        problems.append(("session", _("场次为空。")))
    elif session is None:
        problems.append(("session", _("没有第%(n)s场：本活动的场次是%(numbers)s。") % {
            "n": str(raw).strip()[:10], "numbers": "、".join(str(n) for n in sorted(sessions))}))
    elif session.starts_at > now:
        problems.append(("session", _("第%(n)d场还没有开始。") % {"n": session.number}))
    record.update(name_clean=name, phone_clean=phone, session_obj=session)
    return problems
