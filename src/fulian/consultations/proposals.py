"""代表妇女参与 (源头维权): the proposals and suggestions a federation puts to the people's congress, the government
and the CPPCC, and its comments on draft laws and rules, with the evidence behind them and the reply.

The evidence is a list of registry figures (core.figures) for a unit in her scope and a period — women registered,
cases opened by kind, the four rates, care counts — computed when the proposal is saved, so it holds numbers only:
nothing of a case's content (nor anything typed) can be put in it. Adopted ones may be listed on the portal."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figure_get, figure_values, figures_add, period_of
from fulian.core.policy import Action, OutOfScope, allows, scope_q
from fulian.core.writes import write_path
from fulian.orgs.models import Unit

from .drafts import text_clean
from .models import Addressee, Proposal, ProposalKind, ProposalOutcome

MAX_EVIDENCE = 20
EVIDENCE_KEYS = {"figure", "unit_id", "start", "end"}




def _month(value, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not (200001 <= number <= 210012 and 1 <= number % 100 <= 12):
        raise ValidationError(_("%(label)s要写成年月，如202601。") % {"label": label}, code="evidence_period")
    return number


def _plain(value):
    """A figure's value as JSON keeps it: money (Decimal) as its text, a rate as a fraction."""
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value


def evidence_build(actor, items) -> list[dict]:
    """[{figure, unit_id, start, end}] → the same with the figure's label, the unit's name and the value now. Only
    figures of the registry, of units in her scope; any other key is refused (no text can ride along)."""
    items = list(items or [])
    if len(items) > MAX_EVIDENCE:
        raise ValidationError(_("数据依据最多%(n)d项。") % {"n": MAX_EVIDENCE}, code="evidence_many")
    out = []
    for item in items:
        if not isinstance(item, dict) or set(item) - EVIDENCE_KEYS:
            raise ValidationError(_("数据依据只能是统计指标(指标、单位、起止年月)，不能附带文字或个案内容。"),
                                  code="evidence_shape")
        figure = figure_get(str(item.get("figure") or ""))
        if figure is None:
            raise ValidationError(_("没有这个统计指标：%(key)s。") % {"key": str(item.get("figure"))[:40]},
                                  code="evidence_figure")
        try:
            unit = Unit.objects.get(pk=int(item.get("unit_id")))
        except (TypeError, ValueError, Unit.DoesNotExist):
            unit = None
        if unit is None or not allows(actor, Action.VIEW, unit.path):
            raise ValidationError(_("数据依据的单位不在您的范围内。"), code="evidence_unit")
        start, end = _month(item.get("start"), _("开始年月")), _month(item.get("end"), _("结束年月"))
        if end < start:
            raise ValidationError(_("结束年月不能早于开始年月。"), code="evidence_period")
        value = figure_values([unit.pk], [figure.key], start=start, end=end)[unit.pk].get(figure.key)
        out.append({"figure": figure.key, "label": str(figure.label), "unit_id": unit.pk, "unit": unit.name,
                    "start": start, "end": end, "value": _plain(value)})
    return out


def proposal_create(*, actor, unit: Unit, kind: str, addressee: str, subject: str, submitted_on: dt.date,
                    text: str, addressee_name: str = "", evidence=(), consultation=None,
                    client_token: str | None = None, now=None) -> Proposal:
    now = now or timezone.now()
    if not allows(actor, Action.EDIT, unit.path):
        raise OutOfScope("may not propose here")
    if client_token:
        done = Proposal.objects.filter(client_token=client_token, unit=unit).first()
        if done is not None:
            return done
    if kind not in ProposalKind.values:
        raise ValidationError(_("请选择类型。"), code="kind")
    if addressee not in Addressee.values:
        raise ValidationError(_("请选择提交对象。"), code="addressee")
    if not isinstance(submitted_on, dt.date) or submitted_on > timezone.localdate(now):
        raise ValidationError(_("提交日期不能在今天之后。"), code="submitted_on")
    if consultation is not None and not consultation.unit_path.startswith(unit.path):
        raise ValidationError(_("只能关联本单位辖区的议事协商。"), code="proposal_consultation")
    rows = evidence_build(actor, evidence)
    try:
        with write_path():
            proposal = Proposal.objects.create(
                unit=unit, unit_path=unit.path, kind=kind, addressee=addressee,
                addressee_name=text_clean(addressee_name, _("具体机关"), 100, required=False),
                subject=text_clean(subject, pgettext("proposal", "题目"), 150), submitted_on=submitted_on,
                text=text_clean(text, _("内容"), 20000),
                evidence=rows, consultation=consultation, created_by=actor, created_at=now,
                client_token=client_token or None)
            figures_add([(unit.path, period_of(submitted_on), "proposals_submitted", 1)])
            audit_record(actor=actor, action="proposal.create", obj=proposal, now=now,
                         changes={"kind": kind, "addressee": addressee, "evidence": len(rows)})
    except IntegrityError:
        done = Proposal.objects.filter(client_token=client_token, unit=unit).first() if client_token else None
        if done is None:
            raise
        return done
    return proposal


def proposal_reply(*, actor, proposal: Proposal, version: int, reply: str, replied_on: dt.date, outcome: str,
                   public: bool = False, now=None) -> Proposal:
    """The body's reply and the outcome (recorded once, corrected with the version she saw); an adopted (or partly
    adopted) one may be shown on the portal."""
    now = now or timezone.now()
    if not allows(actor, Action.EDIT, proposal.unit_path):
        raise OutOfScope("may not reply here")
    if outcome not in ProposalOutcome.values or not outcome:
        raise ValidationError(_("请选择办理结果。"), code="outcome")
    if not isinstance(replied_on, dt.date) or replied_on > timezone.localdate(now):
        raise ValidationError(_("答复日期不能在今天之后。"), code="replied_on")
    if replied_on < proposal.submitted_on:
        raise ValidationError(_("答复日期不能早于提交日期。"), code="replied_on")
    reply = text_clean(reply, _("答复"), 20000)
    adopted = (ProposalOutcome.ADOPTED, ProposalOutcome.PARTLY)
    if public and outcome not in adopted:
        raise ValidationError(_("只有采纳或部分采纳的可以公开。"), code="public_not_adopted")
    with write_path():
        current = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if int(version) != current.version:
            raise Conflict(_("这件提案建议刚被别人修改过，请刷新后再改。"), code="proposal_version")
        deltas = []
        if current.replied_on is not None and current.outcome:  # take back what the first reply counted
            deltas.append((current.unit_path, period_of(current.replied_on), "proposals_replied", -1))
            if current.outcome in adopted:
                deltas.append((current.unit_path, period_of(current.replied_on), "proposals_adopted", -1))
        deltas.append((current.unit_path, period_of(replied_on), "proposals_replied", 1))
        if outcome in adopted:
            deltas.append((current.unit_path, period_of(replied_on), "proposals_adopted", 1))
        Proposal.objects.filter(pk=current.pk).update(reply=reply, replied_on=replied_on, outcome=outcome,
                                                      public=bool(public), version=F("version") + 1)
        figures_add(deltas)
        audit_record(actor=actor, action="proposal.reply", obj=current, now=now,
                     changes={"outcome": outcome, "public": bool(public)})
    proposal.refresh_from_db()
    return proposal


def access_proposal_by_id(user, proposal_id, *, need: str = Action.VIEW) -> Proposal:
    row = Proposal.objects.select_related("unit", "consultation").filter(pk=proposal_id).filter(
        scope_q(user, field="unit_path", action=need)).first() if str(proposal_id).isdigit() else None
    if row is None:
        raise Http404("proposal not found")
    return row


def proposals_for(user, *, q: str = "", kind: str = "", addressee: str = "", outcome: str | None = None):
    """Her scope's proposals, newest first; `q` searches subject and text."""
    rows = Proposal.objects.filter(scope_q(user, field="unit_path")).select_related("unit")
    if q:
        rows = rows.filter(Q(subject__icontains=q) | Q(text__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if addressee:
        rows = rows.filter(addressee=addressee)
    if outcome is not None:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("-submitted_on", "-pk")


def public_proposals():
    """The portal's list: adopted or partly adopted, marked public."""
    return Proposal.objects.filter(public=True, outcome__in=(ProposalOutcome.ADOPTED, ProposalOutcome.PARTLY)) \
        .select_related("unit").order_by("-replied_on", "-pk")
