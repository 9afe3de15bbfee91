"""Cadre pages of nominations (/awards/…): a campaign's nominations of her subtree, 推荐家庭 (a registry family of
her villages, found by a search, or a media find), a nomination's page (story, members, photos, history, merge,
withdraw), its photos, and 评选资格核查 for those with need-to-know. Parse, one access function, one service or
selector, render; the rules are awards.nominations' and awards.eligibility's. A state, reason or history is shown
only through eligibility's helpers (HELD is 未推荐 to all but need-to-know)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action, may_act_for_unit
from fulian.people.families import access_family_by_id, families_for, members_of

from . import eligibility, nominations
from .forms_nominations import NominateForm, NominationFilterForm, member_rows, members_posted
from .models import Channel
from .selectors import access_campaign_by_id, access_nomination_by_id

LIST_ROWS = 30
FAMILY_ROWS = 20


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _row(user, nomination) -> dict:
    return {"nomination": nomination, "state": eligibility.state_shown(user, nomination),
            "state_label": eligibility.state_label(user, nomination)}


def _may_nominate(user, campaign) -> bool:
    unit = getattr(user, "unit", None)
    if unit is None or not nominations.nominations_open(campaign, now=timezone.now()):
        return False
    inside = unit.path.startswith(campaign.unit_path) or campaign.unit_path.startswith(unit.path)
    return inside and may_act_for_unit(user, unit.path)


@login_required
def nomination_list(request, award_campaign_id: int):
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    form = NominationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = nominations.nominations_for(request.user, campaign, state=data.get("state", ""),
                                       channel=data.get("channel", ""), q=data.get("q", ""))
    page = Paginator(rows, LIST_ROWS).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in data.items() if v})
    return render(request, "awards/nomination_list.html", {
        "campaign": campaign, "form": form, "page": page, "query": query,
        "rows": [_row(request.user, n) for n in page.object_list],
        "may_nominate": _may_nominate(request.user, campaign), "checks": len(eligibility.checks_for(request.user))})


def _family(request, campaign):
    family_id = param_int(request.POST if request.method == "POST" else request.GET, "family")
    if family_id is None:
        return None
    family = access_family_by_id(request.user, family_id, need=Action.EDIT)
    if not family.unit_path.startswith(campaign.unit_path):
        raise Http404("family outside the campaign")
    return family


@login_required
def nomination_new(request, award_campaign_id: int):
    """推荐家庭 on a phone: search a family of her villages and pick it (组织推荐), or enter a media find."""
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    now = timezone.now()
    source = request.POST if request.method == "POST" else request.GET
    channel = Channel.MEDIA if source.get("channel") == Channel.MEDIA else Channel.ORGANISATION
    family = _family(request, campaign) if channel == Channel.ORGANISATION else None
    q = " ".join(request.GET.get("q", "").split())[:30]
    found = []
    if channel == Channel.ORGANISATION and family is None:
        found = list(families_for(request.user, q=q).filter(unit_path__startswith=campaign.unit_path)
                     [:FAMILY_ROWS]) if q or request.GET.get("search") else []
    form = NominateForm(request.POST or None, user=request.user, channel=channel)
    members = members_posted(request.POST) if request.method == "POST" else []
    if request.method == "POST" and (channel == Channel.MEDIA or family is not None) and form.is_valid():
        data = form.cleaned_data
        try:
            made = nominations.nomination_create(
                actor=request.user, campaign=campaign, channel=channel, family=family, unit=data.get("village"),
                family_name=data.get("family_name", ""), family_phone=data.get("family_phone", ""),
                title=data["title"], story=data["story"], members=members, source=data.get("source", ""),
                client_token=data["client_token"], photos=request.FILES.getlist("photos"), now=now)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if made.merged_into_id:
                messages.info(request, _("这个家庭在本次评选中已有推荐，已合并到先前的推荐，事迹和照片都已保留。"))
                return redirect("award_nomination", nomination_id=made.merged_into_id)
            messages.success(request, _("已推荐“%(name)s”，等待本村(社区)评审。") % {"name": made.family_name})
            return redirect("award_nomination", nomination_id=made.pk)
    if family is not None:
        said = {m["name"]: m["consent"] for m in members}
        registry = members_of(family)
        names = {m.name for m in registry}
        members = [{"name": m.name, "relation": m.relation, "woman_id": m.woman_id, "fixed": True,
                    "consent": said.get(m.name, False)} for m in registry] + [
            m for m in members if m["name"] not in names]
    return render(request, "awards/nomination_form.html", {
        "campaign": campaign, "form": form, "channel": channel, "family": family, "found": found, "q": q,
        "searched": bool(q or request.GET.get("search")), "open": nominations.nominations_open(campaign, now=now),
        "members": member_rows(members), "max_photos": nominations.MAX_PHOTOS})


@login_required
def nomination_detail(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id)
    user = request.user
    merged = list(nomination.merged.select_related("unit").prefetch_related("photos").order_by("created_at"))
    return render(request, "awards/nomination_detail.html", {
        "nomination": nomination, "campaign": nomination.campaign,
        "state": eligibility.state_shown(user, nomination), "state_label": eligibility.state_label(user, nomination),
        "reason": eligibility.reason_shown(user, nomination), "history": eligibility.history_for(user, nomination),
        "members": member_rows(nomination.members or [], blanks=0), "photos": list(nomination.photos.all()),
        "merged": merged, "candidates": nominations.merge_candidates(user, nomination)
        if may_act_for_unit(user, nomination.unit_path) else [],
        "may_withdraw": nominations.may_withdraw(user, nomination),
        "may_add_photos": may_act_for_unit(user, nomination.unit_path) and nomination.state not in (
            "merged", "withdrawn"),
        "max_photos": nominations.MAX_PHOTOS, "sections": panels_for("award_nomination.sections", request,
                                                                      nomination)})


@login_required
@require_POST
def nomination_merge(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id, need=Action.EDIT)
    into_id = param_int(request.POST, "into")
    if into_id is None:
        messages.error(request, _("请选择要合并到的推荐。"))
        return redirect("award_nomination", nomination_id=nomination.pk)
    into = access_nomination_by_id(request.user, into_id, need=Action.EDIT)
    try:
        nominations.nomination_merge(actor=request.user, nomination=nomination, into=into,
                                     version=param_int(request.POST, "version"))
    except ValidationError as exc:
        _error(request, exc)
        return redirect("award_nomination", nomination_id=nomination.pk)
    messages.success(request, _("已合并到“%(name)s”的推荐。") % {"name": into.family_name})
    return redirect("award_nomination", nomination_id=into.pk)


@login_required
@require_POST
def nomination_withdraw(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id, need=Action.EDIT)
    try:
        nominations.nomination_withdraw(actor=request.user, nomination=nomination,
                                        reason=request.POST.get("reason", ""),
                                        version=param_int(request.POST, "version"))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已撤回这条推荐。"))
    return redirect("award_nomination", nomination_id=nomination.pk)


@login_required
@require_POST
def nomination_photos_add(request, nomination_id: int):
    nomination = access_nomination_by_id(request.user, nomination_id, need=Action.EDIT)
    try:
        made = nominations.photos_add(actor=request.user, nomination=nomination,
                                      photos=request.FILES.getlist("photos"), caption=request.POST.get("caption", ""))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已上传%(n)d张照片。") % {"n": len(made)})
    return redirect("award_nomination", nomination_id=nomination.pk)


@login_required
def nomination_photo(request, award_photo_id: int):
    """A photo of a nomination of her subtree (private storage; never cached)."""
    photo = nominations.access_photo_by_id(request.user, award_photo_id)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


@login_required
def checks_list(request):
    """评选资格核查: the held nominations whose case she has need-to-know of."""
    rows = eligibility.checks_for(request.user)
    response = render(request, "awards/nomination_checks.html", {"rows": rows})
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def check_decide(request, eligibility_check_id: int):
    check = eligibility.access_check_by_id(request.user, eligibility_check_id)
    decision = request.POST.get("decision")
    if decision not in ("clear", "decline"):
        messages.error(request, _("请选择核查结论。"))
        return redirect("award_checks")
    try:
        nomination = eligibility.eligibility_decide(actor=request.user, check=check, clear=decision == "clear",
                                                    note=request.POST.get("note", ""))
    except ValidationError as exc:
        _error(request, exc)
        return redirect("award_checks")
    if decision == "clear":
        messages.success(request, _("“%(name)s”核查通过，已按原评审决定继续。") % {"name": nomination.family_name})
    else:
        messages.success(request, _("“%(name)s”不予推荐，其他人看到的是“未推荐”。") % {"name": nomination.family_name})
    return redirect("award_checks")
