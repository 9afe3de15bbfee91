import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.certificates import certificate_code, certificate_qr
from fulian.core.excel import export_download, xlsx_response
from fulian.core.models import Certificate
from fulian.core.policy import Action, OutOfScope, allows

from . import building
from .forms import StaffEndForm, StaffForm
from .models import (
    Body,
    BodyKind,
    Election,
    MediaAccount,
    MemberRole,
    PostKind,
    SocialOrganisation,
    Volunteer,
)
from .selectors import access_building_record, access_unit_by_id


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _handle(request, unit, today):
    """One small form per section posts here with `section`; each calls one service."""
    p, section, actor = request.POST, request.POST.get("section"), request.user
    if section == "body":
        building.body_create(
            actor=actor, unit=unit, kind=p["kind"], term_start=_date(p["term_start"]), term_end=_date(p["term_end"])
        )
    elif section == "member":
        body = access_building_record(actor, Body, p.get("body"), unit=unit)
        building.member_add(
            actor=actor,
            body=body,
            name=p.get("name", ""),
            role=p.get("role", ""),
            is_grassroots=p.get("is_grassroots") == "on",
            ethnicity=p.get("ethnicity", ""),
            sector=p.get("sector", ""),
            birth_year=int(p["birth_year"]) if p.get("birth_year") else None,
        )
    elif section == "election":
        building.election_plan(actor=actor, unit=unit, planned_on=_date(p["planned_on"]))
    elif section == "held":
        election = access_building_record(actor, Election, p.get("election"), unit=unit)
        building.election_hold(actor=actor, election=election, held_on=_date(p["held_on"]), today=today)
    elif section == "post":
        _post, warning = building.post_set(actor=actor, unit=unit, kind=p["kind"], quota=int(p["quota"]), today=today)
        if warning:
            messages.warning(request, warning)
    elif section == "volunteer":
        building.volunteer_add(
            actor=actor,
            unit=unit,
            name=p.get("name", ""),
            phone=p.get("phone", ""),
            skills=p.get("skills", ""),
            team=p.get("team", ""),
        )
    elif section == "hours":
        volunteer = access_building_record(actor, Volunteer, p.get("volunteer"), unit=unit)
        building.service_record_add(
            actor=actor,
            volunteer=volunteer,
            served_on=_date(p["served_on"]),
            hours=p.get("hours", "0"),
            activity=p.get("activity", ""),
            today=today,
        )
    elif section == "social_org":
        building.social_org_add(
            actor=actor,
            unit=unit,
            name=p.get("name", ""),
            category=p.get("category", ""),
            contact=p.get("contact", ""),
            support=p.get("support", ""),
        )
    elif section == "media":
        building.media_account_add(
            actor=actor, unit=unit, platform=p.get("platform", ""), name=p.get("name", ""), url=p.get("url", "")
        )
    elif section == "followers":
        account = access_building_record(actor, MediaAccount, p.get("account"), unit=unit)
        building.follower_count_record(
            actor=actor, account=account, counted_on=_date(p["counted_on"]), followers=int(p["followers"])
        )
    else:
        raise Http404("section")


@login_required
def unit_building(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id)
    today = timezone.localdate()
    if request.method == "POST":
        unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
        try:
            _handle(request, unit, today)
            messages.success(request, _("已保存。"))
        except (ValidationError, ValueError, KeyError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("填写的内容不完整或格式不对。")])))
        return redirect("unit_building", unit_id=unit.pk)
    return render(
        request,
        "orgs/building.html",
        {
            "unit": unit,
            "summary": building.building_summary(unit, today=today),
            "bodies": unit.bodies.prefetch_related("members"),
            "elections": unit.elections.all()[:10],
            "posts": building.posts_with_filled(unit, today=today),
            "volunteers": unit.volunteers.annotate(total=Sum("records__hours")),
            "social_orgs": unit.social_orgs.all(),
            "media": unit.media.prefetch_related("counts"),
            "can_edit": allows(request.user, Action.EDIT, unit.path),
            "today": today,
            "body_kinds": BodyKind.choices,
            "roles": MemberRole.choices,
            "post_kinds": PostKind.choices,
            "categories": SocialOrganisation.Category.choices,
            "platforms": MediaAccount.Platform.choices,
            "rosters": _rosters(),
        },
    )


def _rosters():
    from .rosters import SPECS

    return [(kind, spec.title) for kind, spec in SPECS.items()]


@login_required
def volunteer_certificate(request, volunteer_id: int):
    """A printable certificate of her registered service hours (志愿服务时长证明); 出具证明 (POST) gives it a number,
    a verification code and a QR code anyone can check at /verify/."""
    volunteer = access_building_record(request.user, Volunteer, volunteer_id, need=Action.VIEW)
    if request.method == "POST":
        try:
            building.volunteer_certificate_issue(actor=request.user, volunteer=volunteer)
        except OutOfScope:
            messages.error(request, _("出具证明需要本级或上级妇联的编辑权限。"))
        return redirect("volunteer_certificate", volunteer_id=volunteer.pk)
    records = volunteer.records.all()
    total = records.aggregate(h=Sum("hours"))["h"] or 0
    certificate = Certificate.objects.filter(kind="volunteer_hours", subject_key=f"volunteer:{volunteer.pk}:{total}",
                                             revoked_at__isnull=True).first()
    return render(
        request,
        "orgs/certificate.html",
        {
            "volunteer": volunteer,
            "records": records,
            "total": total,
            "today": timezone.localdate(),
            "certificate": certificate,
            "code": certificate_code(certificate) if certificate else "",
            "qr": certificate_qr(certificate, base_url=request.build_absolute_uri("/")) if certificate else "",
            "can_issue": allows(request.user, Action.EDIT, volunteer.unit_path),
        },
    )


def _spec(kind):
    from .rosters import SPECS

    if kind not in SPECS:
        raise Http404("roster")
    return SPECS[kind]


@login_required
def roster_template(request, kind: str):
    from .rosters import roster_template as build

    spec = _spec(kind)
    return xlsx_response(build(kind), f"{spec.title}模板.xlsx")


@login_required
@require_POST
def roster_export(request, kind: str):
    from .rosters import export_roster

    spec = _spec(kind)
    titles, rows = export_roster(kind, request.user)
    return export_download(actor=request.user, action=f"roster.export.{kind}", filename=f"{spec.title}.xlsx",
                           titles=titles, rows=rows, sheet_title=spec.title)


@login_required
@require_POST
def roster_import(request, kind: str):
    from fulian.core.imports import import_job_create

    _spec(kind)
    upload = request.FILES.get("file")
    if upload is None or not upload.name.lower().endswith(".xlsx"):
        messages.error(request, _("请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。"))
        return redirect(request.META.get("HTTP_REFERER") or "home")
    try:
        job = import_job_create(actor=request.user, kind=f"roster:{kind}", upload=upload)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(request.META.get("HTTP_REFERER") or "home")
    return redirect("import_job_detail", job_id=job.pk)


@login_required
def unit_staff(request, unit_id: int):
    """人员花名册 of a unit: who is in post today by staff type, those who left, and (for her own scope) the form
    that adds one; the staffing counts of the building page are counted from these rows."""
    unit = access_unit_by_id(request.user, unit_id)
    today = timezone.localdate()
    can_edit = allows(request.user, Action.EDIT, unit.path)
    form = StaffForm(request.POST or None, unit=unit, user=request.user)
    if request.method == "POST":
        unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member, warning = building.staff_add(actor=request.user, unit=unit, today=today, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s已登记到花名册。") % {"name": member.name})
                if warning:
                    messages.warning(request, warning)
                return redirect("unit_staff", unit_id=unit.pk)
    show = "ended" if request.GET.get("show") == "ended" else "current"
    rows = building.staff_of_unit(unit, today=today, ended=show == "ended").select_related("account")
    counts = building.staff_counts(unit, today=today)
    return render(request, "orgs/staff.html", {
        "unit": unit, "page": Paginator(rows, 50).get_page(request.GET.get("page")), "show": show,
        "form": form, "can_edit": can_edit, "today": today, "end_form": StaffEndForm(initial={"ends_on": today}),
        "counts": [(k, label, counts.get(k, 0)) for k, label in PostKind.choices],
        "posts": building.posts_with_filled(unit, today=today),
    })


@login_required
@require_POST
def staff_end(request, staff_member_id: int):
    from .models import StaffMember

    member = access_building_record(request.user, StaffMember, staff_member_id, need=Action.EDIT)
    form = StaffEndForm(request.POST)
    if form.is_valid():
        try:
            building.staff_end(actor=request.user, member=member, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s已办理离岗。") % {"name": member.name})
    else:
        messages.error(request, _("请填写离岗日期。"))
    return redirect("unit_staff", unit_id=member.unit_id)
