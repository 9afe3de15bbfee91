"""An activity's participants as an Excel download: every sign-up (confirmed, waiting, cancelled) and every walk-in,
with the sessions each attended, through core's one audited export. Phones are masked (138****5678), as the
portal shows them: the list goes round by hand; the organiser calls from the activity's page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.excel import export_download

from .models import Activity, Attendance, Completion, SignUp, SignUpState


def phone_masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


def participants_titles() -> list[str]:
    return [_("姓名"), _("手机号(脱敏)"), _("状态"), _("报名方式"), _("报名时间"), _("家庭参加人数"), _("名册中"),
            _("签到场次"), _("签到次数"), _("结业")]


def participants_rows(activity: Activity):
    """One row per sign-up, then one per walk-in (a phone that checked in without a live sign-up)."""
    attended: dict[str, list[int]] = {}
    for phone, number in (Attendance.objects.filter(activity=activity).values_list("phone", "session__number")
                          .order_by("session__number")):
        attended.setdefault(phone, []).append(number)
    completed = set(Completion.objects.filter(activity=activity).values_list("signup_id", flat=True))
    signed = set()
    for s in SignUp.objects.filter(activity=activity).order_by("created_at", "pk").iterator(chunk_size=2000):
        numbers = attended.get(s.phone, []) if s.state != SignUpState.CANCELLED else []
        if s.state != SignUpState.CANCELLED:
            signed.add(s.phone)
        yield [s.name, phone_masked(s.phone), s.get_state_display(), s.get_channel_display(),
               timezone.localtime(s.created_at).strftime("%Y-%m-%d %H:%M"), s.family_size,
               _("是") if s.woman_id else _("否"), "、".join(map(str, numbers)), len(numbers),
               _("是") if s.pk in completed else _("否")]
    walk_ins = (Attendance.objects.filter(activity=activity).exclude(phone__in=signed).order_by("phone", "checked_at")
                .values("name", "phone", "woman_id", "checked_at"))
    seen = set()
    for a in walk_ins:
        if a["phone"] in seen:
            continue
        seen.add(a["phone"])
        numbers = attended.get(a["phone"], [])
        yield [a["name"], phone_masked(a["phone"]), _("现场登记"), "",
               timezone.localtime(a["checked_at"]).strftime("%Y-%m-%d %H:%M"), 1, _("是") if a["woman_id"] else _("否"),
               "、".join(map(str, numbers)), len(numbers), _("否")]


def participants_export(*, actor, activity: Activity):
    """The audited download (the caller has access to the activity)."""
    return export_download(actor=actor, action="activity.participants_export",
                           filename=f"参加人员-{activity.title[:60]}.xlsx", titles=participants_titles(),
                           rows=participants_rows(activity), sheet_title=_("参加人员"),
                           changes={"activity": activity.pk})
