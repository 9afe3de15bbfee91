"""What activities answers for funding (a sibling app, reached through core.hooks only): the activity or project an
expense is linked to, if she may see it."""

from django.http import Http404

from .selectors import access_activity_by_id, access_project_by_id


def funding_link(*, user, kind: str, link_id: int) -> str | None:
    """The hook "funding.link": the title of the activity or project `link_id` she may see, else None."""
    try:
        if kind == "activity":
            return access_activity_by_id(user, link_id).title
        if kind == "project":
            return access_project_by_id(user, link_id).name
    except Http404:
        return None
    return None
