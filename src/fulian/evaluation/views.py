
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.excel import export_download
from fulian.core.params import param_int
from fulian.core.policy import Action, allows
from fulian.core.qr import qr_svg
from fulian.orgs.models import Level
from fulian.orgs.selectors import access_unit_by_id, unit_by_code_for, unit_home_for
from fulian.people.selectors import access_woman_by_id

from . import selectors, services
from .forms import AnswerForm, PlaceChoiceForm, SurveyForm, WeightsForm, parse_question_lines
from .models import Rate

RATE_LABELS = [(r.value, r.label) for r in Rate]


def _year(request, data=None) -> int:
    return param_int(request.GET if data is None else data, "year", default=timezone.localdate().year,
                     lo=2000, hi=2100)


def _chart_data(board) -> dict:
    """What charts.js draws; `links` are where a click on a child's bar goes: its own page, one level down."""
    year = board["year"]
    return {
        "links": [f"{reverse('dashboard', args=[row['unit'].pk])}?year={year}" for row in board["children"]],
        "months": [f"{m['month']}月" for m in board["months"]],
        "rates": {
            str(label): [None if m["rates"][r] is None else round(100 * m["rates"][r], 1) for m in board["months"]]
            for r, label in RATE_LABELS
        },
        "children": [row["unit"].name for row in board["children"]],
        "scores": [None if row["score"] is None else round(100 * row["score"], 1) for row in board["children"]],
    }


@login_required
def dashboard_home(request):
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return redirect("dashboard", unit_id=unit.pk)


@login_required
def dashboard(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id)
    board = selectors.dashboard(unit, year=_year(request))
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "board": board,
            "rate_labels": RATE_LABELS,
            "chart": _chart_data(board),
            "ancestors": [
                a for a in unit.__class__.objects.ancestors_of(unit) if allows(request.user, Action.VIEW, a.path)
            ],
        },
    )


@login_required
@require_POST
def dashboard_export(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id)
    board = selectors.dashboard(unit, year=_year(request, request.POST))
    titles = [
        "组织",
        "月份",
        "答卷",
        *[str(label) for _r, label in RATE_LABELS],
        "登记妇女",
        "联系",
        "提出需求",
        "解决需求",
        "参加活动妇女",
        "实际参与率(活动记录)",
    ]

    def pct(value):
        return None if value is None else round(100 * value, 1)

    def row(name, label, values, rates, took_part=None):
        return [
            name,
            label,
            values.get("responses", 0),
            *[pct(rates[r]) for r, _l in RATE_LABELS],
            values.get("women_registered", 0),
            values.get("contacts", 0),
            values.get("needs_raised", 0),
            values.get("needs_met", 0),
            took_part["reached"] if took_part else None,
            pct(took_part["rate"]) if took_part else None,
        ]

    year = f"{board['year']}年"
    rows = [row(unit.name, year, board["totals"], board["rates"], board["took_part"])]
    rows += [row(unit.name, f"{m['month']}月", m["values"], m["rates"]) for m in board["months"]]
    rows += [row(c["unit"].name, year, c["values"], c["rates"], c["took_part"]) for c in board["children"]]
    return export_download(actor=request.user, action="dashboard.export",
                           filename=f"{unit.name}{board['year']}年工作评价.xlsx", titles=titles, rows=rows,
                           sheet_title="四率", changes={"unit": unit.code, "year": board["year"]})


@login_required
def ranking(request):
    """Units of one level ranked by the weighted rates, within a city or county she chooses (her subtree); each row
    drills one level down. Weights that do not add to 100 are scaled to shares, and the page says so."""
    data = {"year": timezone.localdate().year, "level": 3, **{r: 25 for r, _l in RATE_LABELS}, **request.GET.dict()}
    form = WeightsForm(data)
    rows, error, shares = [], None, None
    under = None
    under_id = param_int(request.GET, "under")
    if under_id is not None:
        under = access_unit_by_id(request.user, under_id)
    if form.is_valid():
        weights = form.weights()
        shares = selectors.normalised_weights(weights)
        try:
            rows = selectors.rankings(request.user, level=form.cleaned_data["level"], year=form.cleaned_data["year"],
                                      weights=weights, under=under)
        except ValueError:
            error = _("单位太多，请先选择一个市或县再排名。")
    level = form.cleaned_data.get("level", 3) if form.is_valid() else 3
    return render(
        request,
        "evaluation/ranking.html",
        {"form": form, "rows": rows, "error": error, "under": under, "rate_labels": RATE_LABELS,
         "areas": selectors.ranking_areas(request.user), "shares": shares,
         "weights_scaled": shares is not None and sum(form.weights().values()) != 100,
         "show_city": level >= Level.COUNTY, "show_county": level >= Level.TOWNSHIP,
         "next_level": level + 1 if level < Level.VILLAGE else None},
    )


@login_required
def survey_list(request):
    return render(request, "evaluation/survey_list.html", {"surveys": selectors.surveys_for(request.user)[:100]})


@login_required
def survey_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                unit=unit,
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                standard=data["standard"],
                questions=None if data["standard"] else parse_question_lines(data["questions"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("survey_detail", survey_id=survey.pk)
    return render(request, "evaluation/survey_form.html", {"form": form, "unit": unit})


@login_required
def survey_detail(request, survey_id: int):
    survey = selectors.access_survey_by_id(request.user, survey_id)
    mine = request.user.unit
    scope = mine if mine is not None and mine.path.startswith(survey.unit_path) else survey.unit
    link_unit = None  # answers are collected per village (or township): the link names one
    wanted = request.GET.get("u", "").strip()
    if wanted:
        link_unit = selectors.survey_answer_unit(scope, wanted)
    elif scope.level in (Level.TOWNSHIP, Level.VILLAGE):
        link_unit = scope
    return render(
        request,
        "evaluation/survey_detail.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "scope": scope,
            "link_unit": link_unit,
            "wanted": wanted,
            "responses": selectors.survey_response_count(survey, under=scope),
            "can_edit": allows(request.user, Action.EDIT, survey.unit_path),
            "public_url": _survey_link(request, survey, link_unit) if link_unit else "",
            "public_qr": qr_svg(_survey_link(request, survey, link_unit)) if link_unit else "",
        },
    )


@login_required
@require_POST
def survey_status(request, survey_id: int):
    survey = selectors.access_survey_by_id(request.user, survey_id, need=Action.EDIT)
    try:
        services.survey_set_status(actor=request.user, survey=survey, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("survey_detail", survey_id=survey.pk)


@login_required
def survey_answer_for(request, survey_id: int, woman_id: int):
    """A cadre enters the answers of a woman who answered on paper or by phone (干部代填)."""
    survey = selectors.access_survey_by_id(request.user, survey_id)
    woman = access_woman_by_id(request.user, woman_id, need=Action.EDIT)
    form = AnswerForm(request.POST or None, survey=survey, ask_phone=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                survey=survey,
                unit=woman.home_unit,
                answers=form.cleaned_data,
                channel="cadre",
                woman=woman,
                entered_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已为%(name)s提交问卷。") % {"name": woman.name})
            return redirect("woman_detail", woman_id=woman.pk)
    return render(request, "evaluation/answer.html", {"survey": survey, "form": form, "woman": woman})


def _survey_link(request, survey, unit) -> str:
    return request.build_absolute_uri(f"/s/{survey.public_token}/?u={unit.code}")


@login_required
def survey_qr_sheet(request, survey_id: int):
    """A printable sheet: one QR code per village (or community) of a township, to post where women gather."""
    survey = selectors.access_survey_by_id(request.user, survey_id)
    township = unit_by_code_for(request.user, request.GET.get("u", ""))
    if township is None or not township.path.startswith(survey.unit_path):
        raise Http404("township")
    villages = [(v, qr_svg(_survey_link(request, survey, v), scale=2))
                for v in selectors.survey_villages(township)[:200]]
    return render(request, "evaluation/qr_sheet.html", {"survey": survey, "township": township,
                                                        "villages": villages})


def survey_public(request, token: str):
    """The public answering page (no login): a link per village, distributed by its cadres or as a QR code;
    reached from the portal without one, she first picks her village."""
    survey = selectors.survey_by_token(token)
    chooser = PlaceChoiceForm(request.GET if ("u" in request.GET or "u_key" in request.GET) else None)
    chooser.fields["u"].suggest_under(survey.unit)
    if not chooser.is_valid():
        return render(request, "evaluation/public_choose.html", {"survey": survey, "form": chooser})
    unit = chooser.cleaned_data["u"]
    if request.method == "GET" and request.GET.get("u", "").split(" ")[0] != unit.code:  # by name: its own link
        return redirect(f"{request.path}?{urlencode({'u': unit.code})}")
    form = AnswerForm(request.POST or None, survey=survey, ask_phone=True)
    done = False
    if not unit.path.startswith(survey.unit_path):
        form.add_error(None, _("链接不完整，请向村(社区)妇联索取问卷链接。"))
    elif request.method == "POST" and "send_code" in request.POST:
        form = AnswerForm(None, survey=survey, ask_phone=True, initial={"phone": request.POST.get("phone", "")})
        try:
            services.survey_code_send(phone=request.POST.get("phone", ""))
            messages.info(request, _("验证码已发送到您的手机，请填写问卷和验证码后提交。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    elif request.method == "POST" and form.is_valid():
        answers = {k: v for k, v in form.cleaned_data.items() if k not in ("phone", "code")}
        try:
            response = services.response_submit(
                survey=survey, unit=unit, answers=answers, channel="portal", phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
            )
            done = "verified" if response.is_verified else "unverified"
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "evaluation/public_answer.html", {"survey": survey, "form": form, "unit": unit, "done": done}
    )
