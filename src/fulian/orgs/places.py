"""Places (geographic units) as a woman or a cadre names them: search as she types, and the same rules on the server
when she typed without JavaScript (a code, or an exact name; several fits are offered, never guessed).

Division names and codes are public data; a cadre picking places for her own forms is limited to her scope.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fulian.core.params import is_ascii_digits
from fulian.core.picker import Picked, PickerWidget
from fulian.core.pinyin import is_pinyin_query
from fulian.core.policy import scope_q
from fulian.core.tree import subtree_q

from .models import Kind, Level, Unit

HOME_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)
MAX_QUERY = 50
# "恒东社区（正定镇 · 正定县）": the label of a picked place, read back as its name when JavaScript is off
_CONTEXT = re.compile(r"[（(].*$")


def places_search(q: str, *, levels=HOME_LEVELS, user=None, under: Unit | None = None, limit: int = 10) -> list[Unit]:
    """Places whose name holds `q`, whose pinyin initials or syllables start with it, or whose code starts with it;
    exact names first, then names that start with `q`. `user` limits to her scope, `under` to a subtree."""
    q = (q or "").strip()
    if not q:
        return []
    places = Unit.objects.filter(kind=Kind.GEOGRAPHIC, level__in=list(levels))
    if user is not None:
        places = places.filter(scope_q(user))
    if under is not None:
        places = places.filter(subtree_q(under.path))
    if is_ascii_digits(q):
        match = Q(code__startswith=q)
    elif is_pinyin_query(q):
        match = Q(name_initials__startswith=q.lower()) | Q(name_pinyin__startswith=q.lower())
    else:
        match = Q(name__contains=q)
    places = places.select_related("parent", "parent__parent")
    found = list(places.filter(name=q)[:limit]) + list(places.filter(match).order_by("code")[: limit * 3])
    unique = list({u.pk: u for u in found}.values())
    unique.sort(key=lambda u: (u.name != q, not u.name.startswith(q), -u.level, u.code))
    return unique[:limit]


def place_context(unit: Unit) -> str:
    """The two units above, so two villages of one name can be told apart (正定镇 · 正定县)."""
    names = [p.name for p in (unit.parent, unit.parent.parent if unit.parent else None) if p is not None]
    return " · ".join(names)


def place_label(unit: Unit) -> str:
    context = place_context(unit)
    return f"{unit.name}（{context}）" if context else unit.name


def place_as_json(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level, "context": place_context(unit),
            "label": place_label(unit)}


class PlaceNotResolved(ValidationError):
    """The text named no place or several: `offer` holds the places to choose from (possibly none)."""

    def __init__(self, message, *, offer):
        super().__init__(message, code="place_unresolved")
        self.offer = offer


_BY_CODE_FIELDS = ("id", "code", "name", "level", "kind", "parent_id", "path")  # what a form and its label use
_by_code: dict = {}


def _place_by_code(code: str, levels) -> Unit | None:
    """The geographic unit of this code at one of `levels`, with the names of the two units above for its label: one
    prepared statement (every public help request picks its place by code; the query compiler cost more than the
    database). The other fields are loaded if read."""
    levels = tuple(int(level) for level in levels)
    sql = _by_code.get(levels)
    if sql is None:
        table = connection.ops.quote_name(Unit._meta.db_table)
        columns = ", ".join(f'u."{f.column}"' for f in Unit._meta.concrete_fields if f.attname in _BY_CODE_FIELDS)
        sql = _by_code[levels] = (
            f'SELECT {columns}, p."name", p."parent_id", g."name" FROM {table} u '  # noqa: S608  (names, no data)
            f'LEFT JOIN {table} p ON p."id" = u."parent_id" LEFT JOIN {table} g ON g."id" = p."parent_id" '
            f'WHERE u."code" = %s AND u."kind" = %s AND u."level" IN ({", ".join(["%s"] * len(levels))})'
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [code, Kind.GEOGRAPHIC, *levels])
        row = cursor.fetchone()
    if row is None:
        return None
    n, db = len(_BY_CODE_FIELDS), connection.alias
    unit = Unit.from_db(db, _BY_CODE_FIELDS, row[:n])  # in the order of the model's fields, as from_db reads them
    parent_name, grandparent_id, grandparent_name = row[n:]
    parent = None
    if unit.parent_id is not None:
        parent = Unit.from_db(db, ("id", "name", "parent_id"), (unit.parent_id, parent_name, grandparent_id))
        grandparent = Unit.from_db(db, ("id", "name"), (grandparent_id, grandparent_name)) if grandparent_id else None
        Unit.parent.field.set_cached_value(parent, grandparent)
    Unit.parent.field.set_cached_value(unit, parent)
    return unit


def place_resolve(text: str, *, key: str = "", levels=HOME_LEVELS, user=None, under: Unit | None = None) -> Unit:
    """The place she picked (`key`, a code) or typed (`text`: a code, "code name", or an exact name)."""
    text = (text or "").strip()
    first = text.split(" ")[0] if text else ""
    code = key or (first if is_ascii_digits(first) else "")
    if code and user is None and under is None:
        unit = _place_by_code(code[:24], levels)
        if unit is None:
            raise PlaceNotResolved(_("没有代码为%(code)s的村(社区)，或不在可选范围内。") % {"code": code[:24]},
                                   offer=[])
        return unit
    places = Unit.objects.filter(kind=Kind.GEOGRAPHIC, level__in=list(levels)).select_related("parent",
                                                                                             "parent__parent")
    if user is not None:
        places = places.filter(scope_q(user))
    if under is not None:
        places = places.filter(subtree_q(under.path))
    if code:
        unit = places.filter(code=code[:24]).first()
        if unit is None:
            raise PlaceNotResolved(_("没有代码为%(code)s的村(社区)，或不在可选范围内。") % {"code": code[:24]},
                                   offer=[])
        return unit
    name = _CONTEXT.sub("", text).strip()
    exact = list(places.filter(name=name).order_by("code")[:20])
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise PlaceNotResolved(_("有%(n)s个地方叫“%(name)s”，请选择您所在的那一个。") % {"n": len(exact), "name": name},
                               offer=exact)
    near = places_search(name, levels=levels, user=user, under=under, limit=10)
    if near:
        raise PlaceNotResolved(_("没有叫“%(name)s”的地方。您是不是要找下面的某一个？") % {"name": name}, offer=near)
    raise PlaceNotResolved(_("没有找到“%(name)s”。请检查名称，或输入12位区划代码。") % {"name": name}, offer=[])


class PlaceField(forms.Field):
    """A village or township (or other `levels`) picked with the picker; cleans to a Unit.

    Call `limit_to(user=…)` for a cadre's form (her scope only) or `limit_to(under=…)` for a region's page."""

    widget = PickerWidget

    def __init__(self, *, levels=HOME_LEVELS, **kwargs):
        kwargs.setdefault("error_messages", {"required": gettext_lazy("请输入村(社区)名称并从列表中选择。")})
        super().__init__(**kwargs)
        self.levels = tuple(levels)
        self.user = None
        self.under = None
        self.widget.url = reverse_lazy("place_search")
        self.widget.describe = self._describe
        self._set_params()

    def __deepcopy__(self, memo):
        field = super().__deepcopy__(memo)
        field.widget.describe = field._describe
        return field

    def _set_params(self):
        params = {"levels": ",".join(str(int(level)) for level in self.levels)}
        if self.user is not None:
            params["scope"] = "mine"
        if self.under is not None:
            params["under"] = self.under.code
        self.widget.params = params

    def limit_to(self, *, user=None, under: Unit | None = None) -> "PlaceField":
        self.user, self.under = user, under
        self._set_params()
        return self

    def suggest_under(self, unit: Unit) -> "PlaceField":
        """Suggest only places under `unit` while she types; a code typed or linked outside it still resolves, so
        the page can say why it does not fit rather than claim the place does not exist."""
        self.widget.params = {**self.widget.params, "under": unit.code}
        return self

    def _describe(self, code: str) -> str:
        unit = Unit.objects.filter(code=code).select_related("parent", "parent__parent").first()
        return place_label(unit) if unit is not None else code

    def to_python(self, value):
        if isinstance(value, Picked):
            return value if (value.text or value.key) else None
        if isinstance(value, Unit):
            return Picked(text="", key=value.code)
        value = (value or "").strip() if isinstance(value, str) else ""
        return Picked(text=value, key="") if value else None

    def clean(self, value):
        picked = super().clean(value)
        if picked is None:
            return None
        self.widget.offer, self.widget.resolved = [], None
        try:
            unit = place_resolve(picked.text, key=picked.key, levels=self.levels, user=self.user, under=self.under)
        except PlaceNotResolved as exc:
            self.widget.offer = [(u.code, place_label(u)) for u in exc.offer]
            raise
        self.widget.resolved = (unit.code, place_label(unit))
        return unit
