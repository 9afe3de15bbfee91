from .menu import menu_for
from .policy import Action, actions_of


def navigation(request):
    """What the navigation shows: only what exists and what she may use."""
    user = getattr(request, "user", None)
    actions = actions_of(user) if user is not None else frozenset()
    from django.conf import settings

    return {
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "nav_can_manage_accounts": Action.MANAGE_ACCOUNTS in actions,
        "nav_can_admin": Action.ADMIN_SITE in actions,
        "menu": menu_for(user) if getattr(user, "is_authenticated", False) else None,
    }
