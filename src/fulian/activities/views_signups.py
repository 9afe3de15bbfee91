"""A cadre signs up a woman of her registry (为她报名活动), from the woman's page: the activities near her village
and the invited ones of her units, her family for a family activity; the sign-up service does the rest."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.params import param_int
from fulian.core.policy import Action
from fulian.people.families import families_of_woman
from fulian.people.selectors import access_woman_by_id

from . import calendar, signups
from .models import SignUpChannel, SignUpState


@login_required
def woman_signup(request, woman_id: int):
    woman = access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    now = timezone.now()
    rows = calendar.activities_for_woman(woman=woman, now=now)
    families = list(families_of_woman(request.user, woman)[:10])
    if request.method == "POST":
        chosen = {a.pk: a for a in rows}.get(param_int(request.POST, "activity"))
        family = {f.pk: f for f in families}.get(param_int(request.POST, "family"))
        try:
            if chosen is None:
                raise ValidationError(_("请选择一个活动。"), code="signup_activity_choose")
            signup = signups.signup_create(
                activity=chosen, channel=SignUpChannel.CADRE, woman=woman, actor=request.user,
                family=family if chosen.for_families else None,
                family_size=param_int(request.POST, "family_size", default=1, lo=1, hi=signups.MAX_FAMILY_SIZE)
                if chosen.for_families else 1,
                phone=request.POST.get("phone", "").strip(), client_token=request.POST.get("client_token") or None,
                now=now)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if not signup.created:
                messages.info(request, _("她（这个手机号）已经报名了这个活动。"))
            elif signup.state == SignUpState.WAITING:
                messages.success(request, _("名额已满，已为她报名候补第%(n)d位，递补时会短信通知她。")
                                 % {"n": signups.waiting_position(signup)})
            else:
                messages.success(request, _("已为她报名“%(title)s”，报名信息和取消链接已短信发给她。")
                                 % {"title": chosen.title})
            return redirect("woman_detail", woman_id=woman.pk)
    return render(request, "activities/signup_for_woman.html", {
        "woman": woman, "rows": rows, "families": families,
        "client_token": request.POST.get("client_token", "") or uuid.uuid4().hex})
