"""What sign-ups add to pages of other apps (core.panels): her sign-ups on her 我的 page (page "portal.me", the
object being her WomanAccount) — only those made with that account, never those that merely share its phone
number — and 为她报名活动 on the woman's page for a cadre who looks after her; and the listener that takes her
sign-ups out of 我的 when the portal forgets a dormant number's links."""

from fulian.core.hooks import hook_register
from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows

from .calendar import signups_of_account
from .signups import signup_link, signups_forget_account, waiting_position


def _mine(request, account):
    if account is None:
        return None
    rows = signups_of_account(account)
    for signup in rows:
        signup.link = signup_link(signup)
        signup.position = waiting_position(signup)
    return {"rows": rows}


def _woman_action(request, woman):
    if not allows(request.user, Action.EDIT, woman.unit_path):
        return None
    return {"woman": woman}


panel_register("portal.me", order=20, template="activities/public_me_panel.html", context=_mine)
panel_register("woman.actions", order=40, template="activities/_woman_signup_action.html", context=_woman_action)
hook_register("woman_account.forgotten", signups_forget_account)
