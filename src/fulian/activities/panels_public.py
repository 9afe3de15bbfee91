"""What activities adds to the public side: her sign-ups on her 我的 page (core.panels, page "portal.me", the
object being her WomanAccount) — only those made with that account, never those that merely share its phone
number — and the listener that takes them out of 我的 when the portal forgets a dormant number's links."""

from fulian.core.hooks import hook_register
from fulian.core.panels import panel_register

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


panel_register("portal.me", order=20, template="activities/public_me_panel.html", context=_mine)
hook_register("woman_account.forgotten", signups_forget_account)
