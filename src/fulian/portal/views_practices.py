"""Pages of 典型做法: write with photos and submit (a village cadre on her phone), the received queue, pass up, return,
publish, the trail, photos (scoped; public once the article is out), Excel export. Rules are in portal.practices."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.excel import export_download
from fulian.core.params import param_int
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import practices
from .models import Category

LIST_ROWS = 30


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _box(request) -> str:
    box = request.GET.get("box", "")
    return box if box in practices.BOXES else ""


@login_required
def practice_list(request):
    received = practices.practices_received_count(request.user)
    box = _box(request) or ("received" if received else "mine")
    rows = practices.practices_for(request.user, box=box)
    page = Paginator(rows, LIST_ROWS).get_page(request.GET.get("page"))
    unit = getattr(request.user, "unit", None)
    return render(request, "portal/practice_list.html", {
        "page": page, "box": box, "received": received,
        "rows": [{"practice": p, "stage": practices.stage_label(p)} for p in page.object_list],
        "can_write": unit is not None and unit.parent_id is not None,
    })


def _form_page(request, *, practice=None, unit=None, form=None):
    return render(request, "portal/practice_form.html", {
        "practice": practice, "unit": unit or practice.unit, "max_photos": practices.MAX_PHOTOS,
        "max_mb": settings.ATTACHMENT_MAX_BYTES // 2**20,
        "form": form or {"title": practice.title if practice else "", "body": practice.body if practice else ""},
        "client_token": request.POST.get("client_token") or uuid.uuid4().hex,
        "photos": list(practice.photos.all()) if practice else [],
    })


def _save(request, *, practice=None, unit=None):
    form = {"title": request.POST.get("title", ""), "body": request.POST.get("body", "")}
    try:
        practice = practices.practice_save(
            actor=request.user, unit=unit, practice=practice, title=form["title"], body=form["body"],
            photos=request.FILES.getlist("photos"), version=param_int(request.POST, "version"),
            client_token=request.POST.get("client_token") if unit is not None else None)
        if request.POST.get("submit") and practice.status in practices.EDITABLE:
            practices.practice_submit(actor=request.user, practice=practice)
    except ValidationError as exc:
        _error(request, exc)
        if practice is not None:
            practice.refresh_from_db()
        return _form_page(request, practice=practice, unit=unit, form=form)
    messages.success(request, _("已报送上级。") if request.POST.get("submit") else _("已保存。"))
    return redirect("practice_detail", practice_id=practice.pk)


@login_required
def practice_new(request):
    unit = unit_home_for(request.user)
    unit_id = param_int(request.GET, "unit")
    if unit_id is not None:
        unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    if unit is None:
        raise Http404("no unit")
    if request.method == "POST":
        return _save(request, unit=unit)
    return _form_page(request, unit=unit)


@login_required
def practice_edit(request, practice_id: int):
    practice = practices.access_practice_by_id(request.user, practice_id, need=Action.EDIT)
    if not practices.may_edit(request.user, practice):
        messages.error(request, _("已报送的典型做法不能修改。"))
        return redirect("practice_detail", practice_id=practice.pk)
    if request.method == "POST":
        return _save(request, practice=practice)
    return _form_page(request, practice=practice)


@login_required
def practice_detail(request, practice_id: int):
    practice = practices.access_practice_by_id(request.user, practice_id)
    return render(request, "portal/practice_detail.html", {
        "practice": practice, "stage": practices.stage_label(practice),
        "photos": list(practice.photos.all()), "trail": list(practices.trail(practice)),
        "may_edit": practices.may_edit(request.user, practice),
        "may_decide": practices.may_decide(request.user, practice),
        "can_pass_up": practice.holder is not None and practice.holder.parent_id is not None,
        "categories": [(c.value, c.label) for c in practices.PUBLISH_CATEGORIES],
        "holds": practice.status == "held" and practice.holder_id == getattr(request.user, "unit_id", None),
    })


def _act(request, practice_id, act, done: str):
    practice = practices.access_practice_by_id(request.user, practice_id)
    try:
        act(practice, param_int(request.POST, "version"))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
    return redirect("practice_detail", practice_id=practice.pk)


@login_required
@require_POST
def practice_submit(request, practice_id: int):
    return _act(request, practice_id, lambda p, v: practices.practice_submit(actor=request.user, practice=p,
                                                                              version=v), _("已报送上级。"))


@login_required
@require_POST
def practice_pass_up(request, practice_id: int):
    return _act(request, practice_id, lambda p, v: practices.practice_pass_up(
        actor=request.user, practice=p, comment=request.POST.get("comment", ""), version=v), _("已上报。"))


@login_required
@require_POST
def practice_return(request, practice_id: int):
    return _act(request, practice_id, lambda p, v: practices.practice_return(
        actor=request.user, practice=p, note=request.POST.get("note", ""), version=v), _("已退回报送单位。"))


@login_required
@require_POST
def practice_publish(request, practice_id: int):
    return _act(request, practice_id, lambda p, v: practices.practice_publish(
        actor=request.user, practice=p, category=request.POST.get("category", ""),
        comment=request.POST.get("comment", ""), version=v), _("已送发布审核，审核通过后在门户发布。"))


@login_required
@require_POST
def practice_photo_remove(request, practice_id: int, practice_photo_id: int):
    practice = practices.access_practice_by_id(request.user, practice_id, need=Action.EDIT)
    photo = practices.access_practice_photo_by_id(request.user, practice_photo_id)
    if photo.practice_id != practice.pk:
        raise Http404("not this practice's photo")
    try:
        practices.practice_photo_remove(actor=request.user, photo=photo)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("practice_edit", practice_id=practice.pk)


def _image(photo):
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def practice_photo(request, practice_photo_id: int):
    response = _image(practices.access_practice_photo_by_id(request.user, practice_photo_id))
    response["Cache-Control"] = "private, max-age=3600"
    return response


def practice_photo_public(request, practice_photo_id: int):
    """A photo on a published article's public page (404 until the article is published)."""
    response = _image(practices.practice_photo_public(practice_photo_id))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def practice_export(request):
    box = _box(request) or "all"
    rows = practices.practices_for(request.user, box=box).order_by("-updated_at", "-id")

    def lines():
        for p in rows.iterator(chunk_size=500):
            yield [p.unit.code, p.unit.name, p.title, practices.stage_label(p),
                   p.holder.name if p.holder_id else "",
                   timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M") if p.submitted_at else "",
                   timezone.localtime(p.published_at).strftime("%Y-%m-%d %H:%M") if p.published_at else "",
                   f"/news/{p.article_id}/" if p.published_at else ""]

    return export_download(
        actor=request.user, action="practice.export", filename=_("典型做法.xlsx"),
        titles=[_("单位代码"), _("报送单位"), _("标题"), _("状态"), _("当前所在单位"), _("首次报送时间"),
                _("发布时间"), _("门户链接")],
        rows=lines(), sheet_title=str(Category.PRACTICE.label), changes={"box": box})
