"""Reads of the women registry, always scoped by core.policy on the copied `unit_path`."""

import contextlib
import re

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404

from fulian.core.audit import read_record
from fulian.core.crypto import decrypt, keyed_hash
from fulian.core.figures import STANDING, figures_read
from fulian.core.idnumber import parse_id_number
from fulian.core.paging import count_capped
from fulian.core.params import is_ascii_digits
from fulian.core.pinyin import is_pinyin_query
from fulian.core.policy import Action, actions_of, allows, scope_path, scope_q
from fulian.core.tree import subtree_q
from fulian.orgs.models import Unit

from .models import Woman

_LAST4 = re.compile(r"^[0-9]{3}[0-9Xx]$")


def women_of_unit(user, unit, *, need: str = Action.EDIT):
    """The women of a unit's subtree on whom she may `need` (e.g. spreading them over cadres)."""
    return Woman.objects.filter(subtree_q(unit.path, "unit_path"), scope_q(user, field="unit_path", action=need),
                                merged_into__isnull=True)


def women_for(user, *, q: str = "", unit=None, tag: str = "", include_merged: bool = False):
    """Women she may see, by village; `q` is a name, pinyin initials or syllables, the last four characters of
    the ID number or phone, a whole phone or ID number (all indexed), or part of a phone number."""
    women = Woman.objects.filter(scope_q(user, field="unit_path"))
    if not include_merged:
        women = women.filter(merged_into__isnull=True)
    if unit is not None:
        women = women.filter(subtree_q(unit.path, "unit_path"))
    if tag:
        women = women.filter(tags__code=tag)
    q = "".join((q or "").split())
    if q:
        women = women.filter(_search_q(q))
    return women.order_by("unit_path", "id")


def women_count(user, *, q: str = "", unit=None, tag: str = "", include_merged: bool = False) -> tuple[int, bool]:
    """(count, more) of `women_for` with the same filters. A whole list (no search, no tag) has its exact total in
    the standing figures — one row at a village or at the province root; a search is counted, capped."""
    if not "".join((q or "").split()) and not tag and not include_merged:
        if Action.VIEW not in actions_of(user) or scope_path(user) is None:
            return 0, False
        if unit is not None:
            ids = [unit.pk]
        elif scope_path(user) == "":
            ids = list(Unit.objects.filter(parent__isnull=True).values_list("id", flat=True))
        else:
            ids = [user.unit_id]
        figures = figures_read(ids, [STANDING])
        return sum(figures.get(i, {}).get(STANDING, {}).get("women", 0) for i in ids), False
    return count_capped(women_for(user, q=q, unit=unit, tag=tag, include_merged=include_merged))


def _search_q(q: str) -> Q:
    if len(q) in (15, 18) and is_ascii_digits(q[:-1]):
        with contextlib.suppress(ValidationError):  # not a valid ID number: try the other readings
            return Q(id_hash=keyed_hash(parse_id_number(q).number))
    if _LAST4.match(q):
        return Q(id_last4=q.upper()) | Q(phone_last4=q)
    if is_ascii_digits(q):
        return Q(phone=q) if len(q) >= 11 else Q(phone__contains=q)
    if is_pinyin_query(q):
        return Q(name_initials__startswith=q.lower()) | Q(name_pinyin__startswith=q.lower())
    return Q(name__contains=q)


def access_woman_by_id(user, woman_id: int, *, need: str = Action.VIEW) -> Woman:
    woman = Woman.objects.select_related("home_unit", "merged_into").filter(pk=woman_id).first()
    if woman is None or not allows(user, need, woman.unit_path):
        raise Http404("woman not found")
    return woman


def woman_id_number_reveal(user, woman: Woman, *, purpose: str = "") -> str:
    """The full ID number, for roles that need it; every reveal goes to the read log."""
    if not allows(user, Action.VIEW_ID_NUMBER, woman.unit_path):
        raise Http404("not allowed")
    read_record(actor=user, obj=woman, purpose=purpose or "id_number")
    return decrypt(woman.id_encrypted)


def possible_duplicates(user, *, limit: int = 100) -> list[dict]:
    """Records in scope sharing a name and phone number: candidates for the merge tool."""
    rows = (
        women_for(user).exclude(phone="").values("name", "phone").annotate(n=Count("id")).filter(n__gt=1)
        .order_by("name")[:limit]
    )
    result = []
    for row in rows:
        result.append({**row, "women": list(women_for(user).filter(name=row["name"], phone=row["phone"]))})
    return result
