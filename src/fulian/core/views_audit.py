"""操作审计: a leader or system administrator searches the audit trail and the read log of her subtree, and
exports what she found. Each search that answers writes one `audit.search` row, each export one `audit.export`."""

import datetime as dt
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .audit import audit_record
from .excel import attachment, export_download
from .forms_audit import AuditSearchForm, day_in_range
from .paging import page_of
from .params import param_choice
from .sealing import seal_digest, seal_status
from .selectors_audit import (
    EXPORT_MAX_ROWS,
    AuditFilters,
    action_label,
    audit_events_for,
    audit_search_record,
    changes_summary,
    read_logs_for,
    sees_audit,
    sees_seal_status,
    unit_names,
)

TABS = ("events", "reads")
MORE = ("action_prefix", "object_type", "unit", "ip")  # the filters behind 更多条件, open when one is set
PER_PAGE = 50


def _may_search(request) -> None:
    if not sees_audit(request.user):
        raise Http404("no audit in scope")


def _rows_for(user, tab: str, filters: AuditFilters):
    return audit_events_for(user, filters) if tab == "events" else read_logs_for(user, filters)


@login_required
@never_cache
def audit_search(request):
    _may_search(request)
    tab = param_choice(request.GET, "tab", TABS, default="events")
    searched = any(name != "tab" and value for name, value in request.GET.items())
    form = AuditSearchForm(request.GET if searched else None)
    context = _context(request, form, tab)
    if searched and not form.is_valid():
        return render(request, "core/audit_search.html", context, status=400)
    filters = form.filters() if searched else AuditFilters()
    page = page_of(request, _rows_for(request.user, tab, filters), PER_PAGE)
    names = unit_names(r.unit_path for r in page.object_list)
    context["page"] = page
    context["rows"] = [_shown(row, names, tab) for row in page.object_list]
    audit_search_record(actor=request.user, filters=filters, tab=tab, page=page.number, shown=len(page.object_list))
    return render(request, "core/audit_search.html", context)


def _context(request, form, tab: str) -> dict:
    return {"form": form, "tab": tab, "page": None, "rows": [], "export_query": _without_page(request),
            "tab_query": {t: _with_tab(request, t) for t in TABS},
            "more_open": any(request.GET.get(name) for name in MORE),
            "seal": seal_status() if sees_seal_status(request.user) else None,
            "digest_day": timezone.localdate() - dt.timedelta(days=1)}


def _shown(row, names: dict, tab: str) -> dict:
    code, name = names.get(row.unit_path or "", ("", ""))
    shown = {"at": timezone.localtime(row.at), "actor": row.actor_label, "object_type": row.object_type,
             "object_id": row.object_id, "object": row.object_repr, "unit": name, "unit_code": code,
             "ip": row.ip or "", "channel": row.channel}
    if tab == "events":
        shown.update(action=row.action, action_label=action_label(row.action), summary=changes_summary(row.changes))
    else:
        shown.update(action="", action_label=_("查看"), summary=row.purpose)
    return shown


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _with_tab(request, tab: str) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["tab"] = tab
    return query.urlencode()


@login_required
@never_cache
def audit_export(request):
    """The search's rows as Excel (newest first, at most EXPORT_MAX_ROWS), every value as text."""
    _may_search(request)
    tab = param_choice(request.GET, "tab", TABS, default="events")
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "core/audit_search.html", _context(request, form, tab), status=400)
    filters = form.filters()
    rows = list(_rows_for(request.user, tab, filters)[: EXPORT_MAX_ROWS + 1])
    cut = len(rows) > EXPORT_MAX_ROWS
    rows = rows[:EXPORT_MAX_ROWS]
    names = unit_names(r.unit_path for r in rows)
    lines = []
    for row in rows:
        detail = json.dumps(row.changes, ensure_ascii=False) if tab == "events" and row.changes else None
        shown = _shown(row, names, tab)
        lines.append([shown["at"].strftime("%Y-%m-%d %H:%M:%S"), shown["actor"], shown["action"],
                      shown["action_label"], shown["object_type"], shown["object_id"], shown["object"],
                      shown["unit"], shown["unit_code"], shown["ip"], shown["channel"],
                      detail or shown["summary"]])
    titles = [_("时间"), _("操作人"), _("操作"), _("操作名称"), _("对象类型"), _("对象编号"), _("对象"), _("组织"),
              _("组织代码"), _("来源地址"), _("渠道"), _("变更内容") if tab == "events" else _("用途")]
    label = _("操作记录") if tab == "events" else _("查看记录")
    return export_download(actor=request.user, action="audit.export",
                           filename=f"{label}-{timezone.localdate():%Y%m%d}.xlsx", titles=titles, rows=lines,
                           sheet_title=label, changes={"tab": tab, "rows": len(rows), "cut": cut,
                                                       **filters.described()})


@login_required
@never_cache
def audit_digest(request):
    """A day's digest of the seal chain (its last link's number and hash), to keep off-site; `audit_verify --digest`
    proves it later. For the top of the tree only; each download is audited."""
    if not sees_seal_status(request.user):
        raise Http404("not for this account")
    raw = (request.GET.get("day") or "").strip()
    try:
        day = dt.date.fromisoformat(raw) if raw else timezone.localdate() - dt.timedelta(days=1)
        if not day_in_range(day) or day > timezone.localdate():  # a day to come has no digest yet
            raise ValueError(day)
    except ValueError:
        raise BadRequest("parameter 'day' must be a date such as 2026-03-08") from None
    digest = seal_digest(day)
    audit_record(actor=request.user, action="audit.digest", changes={"day": day.isoformat(),
                                                                    "number": digest["number"]})
    response = JsonResponse(digest, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = attachment(f"fulian-audit-digest-{day.isoformat()}.json")
    return response
