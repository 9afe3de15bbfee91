"""我的: the woman answers an offer herself (signed in to 我的 with her phone and a one-time code; the portal's
middleware gives `request.woman_account`). Only her own offers — to a registry woman with the phone she proved —
answer; any other is a 404, as for one that does not exist."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import matching
from .selectors import access_offer_for_account


@require_POST
def me_offer_answer(request, care_offer_id: int):
    account = getattr(request, "woman_account", None) or None
    offer = access_offer_for_account(account, care_offer_id, now=timezone.now())
    answer = request.POST.get("accept", "")
    if answer not in ("yes", "no"):
        raise BadRequest("accept")
    try:
        matching.offer_answer(actor=None, offer=offer, accept=answer == "yes", by_self=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已接受“%(title)s”，妇联干部会与您联系。") % {"title": offer.resource.title}
                         if answer == "yes" else _("已谢绝“%(title)s”。") % {"title": offer.resource.title})
    response = redirect("portal_me")
    response["Cache-Control"] = "no-store"
    return response
