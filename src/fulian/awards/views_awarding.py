"""表彰 and 故事传递 pages for cadres: the awarding page of a campaign (what blocks each shortlisted family, 表彰 one
or all), the printable certificate, and story relays (link an activity, or record an event and link it later).
Parse, one access function, one service, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fulian.core.certificates import certificate_code, certificate_qr
from fulian.core.params import param_int

from . import awarding, relay
from .models import CampaignStatus, NominationState, VenueKind
from .selectors import access_campaign_by_id, access_nomination_by_id


@login_required
def awarding_page(request, award_campaign_id: int):
    """表彰: the shortlisted and awarded families of her scope, by tier, with what still blocks each award."""
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    now = timezone.now()
    rows = awarding.awarding_rows(request.user, campaign, now=now)
    return render(request, "awards/award_campaign.html", {
        "campaign": campaign, "rows": rows, "can_award": awarding.may_award(request.user, campaign),
        "ready": sum(1 for r in rows if r["nomination"].state == NominationState.SHORTLISTED and not r["blockers"]),
        "awarded": sum(1 for r in rows if r["nomination"].state == NominationState.AWARDED),
        "is_done": campaign.status == CampaignStatus.AWARDED,
        "closable": campaign.status == CampaignStatus.NOTICE and not awarding.awaiting_award(campaign).exists()
        and campaign.nominations.filter(state=NominationState.AWARDED).exists(),
    })


def _back(request, nomination) -> str:
    if request.POST.get("from") == "nomination":
        try:
            return reverse("award_nomination", args=[nomination.pk])
        except NoReverseMatch:  # the nominations pages are another part's: without them, the campaign's
            pass
    return reverse("award_awarding", args=[nomination.campaign_id])


@login_required
@require_POST
def nomination_award(request, nomination_id: int):
    """表彰 one family (leaders of the awarding unit); refused with the reason while 公示 or an objection blocks it."""
    nomination = access_nomination_by_id(request.user, nomination_id)
    version = param_int(request.POST, "version", lo=1)
    try:
        awarding.award(actor=request.user, nomination=nomination, version=version)  # OutOfScope is a 404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已表彰“%(name)s”，证书已生成。") % {"name": nomination.family_name})
    return redirect(_back(request, nomination))


@login_required
@require_POST
def campaign_award_all(request, award_campaign_id: int):
    """全部表彰: every shortlisted family with nothing blocking it; the others are listed with their reasons."""
    campaign = access_campaign_by_id(request.user, award_campaign_id)
    if not awarding.may_award(request.user, campaign):
        raise Http404("may not award")
    done = awarding.campaign_award_all(actor=request.user, campaign=campaign)
    if done["awarded"]:
        messages.success(request, _("已表彰%(n)d户家庭，证书已生成。") % {"n": len(done["awarded"])})
    for nomination, reasons in done["blocked"]:
        messages.error(request, f"{nomination.family_name}：{' '.join(str(r) for r in reasons)}")
    if not done["awarded"] and not done["blocked"]:
        messages.info(request, _("没有待表彰的家庭。"))
    if done["campaign_awarded"]:
        messages.success(request, _("本次评选表彰完成。"))
    return redirect("award_awarding", award_campaign_id=campaign.pk)


@login_required
def certificate_page(request, nomination_id: int):
    """荣誉证书, printable: numbered, with its verification code and a QR code of the public /verify/ link."""
    nomination = access_nomination_by_id(request.user, nomination_id)
    if nomination.state != NominationState.AWARDED or nomination.certificate_id is None:
        raise Http404("no certificate")
    certificate = nomination.certificate
    return render(request, "awards/award_certificate.html", {
        "nomination": nomination, "campaign": nomination.campaign, "certificate": certificate,
        "code": certificate_code(certificate),
        "qr": certificate_qr(certificate, base_url=request.build_absolute_uri("/")),
        "issued_on": timezone.localdate(certificate.issued_at),
    })


# ---- story relay -------------------------------------------------------------------------------------------------

class RelayForm(forms.Form):
    """A relay at one of her activities, or an event by name and date (its activity linked later)."""

    activity = forms.TypedChoiceField(label=gettext_lazy("关联活动"), coerce=int, required=False, empty_value=None)
    venue = forms.ChoiceField(label=gettext_lazy("传递到"), choices=[("", gettext_lazy("按活动所在单位"))]
                              + list(VenueKind.choices), required=False)
    title = forms.CharField(label=gettext_lazy("活动名称"), max_length=100, required=False,
                            help_text=gettext_lazy("没有可选的活动时填写，以后可再关联活动"))
    held_on = forms.DateField(label=gettext_lazy("日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("不关联活动（下面填写名称和日期）"))] + [
            (a["id"], f"{a['title']}（{a['starts_on']:%Y-%m-%d}）") for a in activities]

    def clean(self):
        data = super().clean()
        if not data.get("activity") and not (data.get("title") and data.get("held_on")):
            raise ValidationError(_("请选择一个活动，或填写传递活动的名称和日期。"), code="relay_what")
        return data


class LinkForm(forms.Form):
    activity = forms.TypedChoiceField(label=gettext_lazy("关联活动"), coerce=int)

    def __init__(self, *args, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [(a["id"], f"{a['title']}（{a['starts_on']:%Y-%m-%d}）")
                                           for a in activities]


def _activities(request, *, keep=None) -> list[dict]:
    """Her activities for the picker (search ?q=), with the one she chose even when the search changed."""
    rows = relay.relay_activities(request.user, q=request.GET.get("q", ""))
    if keep and all(a["id"] != keep for a in rows):
        chosen = relay.relay_activity(request.user, keep)
        if chosen is not None:
            rows.insert(0, chosen)
    return rows


@login_required
def relay_new(request, nomination_id: int):
    """故事传递: choose an activity of her subtree (search by name), or record an event by name, date and venue."""
    nomination = relay.access_relay_nomination_by_id(request.user, nomination_id)
    keep = param_int(request.POST, "activity", lo=1) if request.method == "POST" else None
    form = RelayForm(request.POST or None, activities=_activities(request, keep=keep))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relay.relay_create(actor=request.user, nomination=nomination, venue=data["venue"],
                               activity_id=data["activity"], title=data["title"], held_on=data["held_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("故事传递已记录。"))
            return redirect("award_relays", nomination_id=nomination.pk)
    return render(request, "awards/relay_form.html", {
        "nomination": nomination, "form": form, "q": request.GET.get("q", "")[:30],
        "unit": relay.relay_unit_for(request.user, nomination.campaign),
    }, status=400 if request.method == "POST" else 200)


@login_required
def relay_list(request, nomination_id: int):
    """The family's story relays, with 关联活动 for those recorded by name and 删除."""
    nomination = relay.access_relays_by_id(request.user, nomination_id)
    return render(request, "awards/relay_list.html", {
        "nomination": nomination, "relays": relay.relays_of(nomination),
        "can_relay": relay.may_relay(request.user, nomination.campaign)})


@login_required
def relay_link(request, relay_id: int):
    """关联活动 for a relay recorded by name and date."""
    row = relay.access_relay_by_id(request.user, relay_id)
    form = LinkForm(request.POST or None, activities=_activities(request))
    if request.method == "POST" and form.is_valid():
        try:
            relay.relay_link_activity(actor=request.user, relay=row, activity_id=form.cleaned_data["activity"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已关联活动。"))
            return redirect("award_relays", nomination_id=row.nomination_id)
    return render(request, "awards/relay_link.html", {"relay": row, "form": form, "q": request.GET.get("q", "")[:30]},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def relay_remove(request, relay_id: int):
    row = relay.access_relay_by_id(request.user, relay_id)
    relay.relay_remove(actor=request.user, relay=row)
    messages.success(request, _("已删除这次故事传递。"))
    return redirect("award_relays", nomination_id=row.nomination_id)
