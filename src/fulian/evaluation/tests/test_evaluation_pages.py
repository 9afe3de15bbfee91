import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fulian.evaluation import services
from fulian.evaluation.models import Response, Survey
from fulian.evaluation.selectors import score_of
from fulian.portal.tests.otp import last_code_sent

NOW = dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def survey(client_for, county_chair, unit):
    client = client_for(county_chair)
    response = client.post(reverse("survey_new", args=[unit("正定县").pk]), {
        "title": "四率调查", "starts_on": "2026-11-01", "ends_on": "2026-12-31", "standard": "on"})
    survey = Survey.objects.get()
    assert response["Location"] == reverse("survey_detail", args=[survey.pk])
    client.post(reverse("survey_status", args=[survey.pk]), {"status": "open"})
    survey.refresh_from_db()
    return survey


def standard_answers(survey, aware=0, took_part=0, score=5, helped=0):
    q = {x.position: str(x.pk) for x in survey.questions.all()}
    return {q[1]: aware, q[2]: took_part, q[3]: score, q[4]: helped, q[5]: ""}


def answer_verified(client, url, answers, phone):
    """As a woman does: ask for a code, then answer with it."""
    client.post(url, {"phone": phone, "send_code": "1"})
    return client.post(url, {**answers, "phone": phone, "code": last_code_sent(phone)})


@pytest.mark.django_db
def test_a_woman_answers_on_the_public_page_and_the_dashboard_moves_at_once(client, client_for, county_chair,
                                                                            survey, unit):
    url = reverse("survey_public", args=[survey.public_token]) + "?u=130123100001"
    page = client.get(url)
    assert page.status_code == 200 and "您知道本村(社区)的妇联" in page.content.decode()
    client.post(url, {"phone": "13800001111", "send_code": "1"})
    done = client.post(url, {**standard_answers(survey, aware=0, score=3), "phone": "13800001111",
                             "code": last_code_sent("13800001111")})
    assert "提交成功" in done.content.decode() and "不计入四率" not in done.content.decode()
    again = client.post(url, {**standard_answers(survey), "phone": "138 0000 1111"})
    assert "每人只能填写一次" in again.content.decode()
    assert Response.objects.count() == 1
    board = client_for(county_chair).get(reverse("dashboard", args=[unit("正定县").pk])).context["board"]
    assert board["rates"] == {"awareness": 1.0, "participation": 1.0, "satisfaction": 0.0, "benefit": 1.0}
    assert board["totals"]["responses"] == 1
    months = {m["month"]: m for m in board["months"]}
    assert months[11]["values"]["responses"] == 1 and months[10]["rates"]["awareness"] is None


@pytest.mark.django_db
def test_children_are_ranked_and_a_child_without_answers_shows_no_data(client, client_for, province_chair,
                                                                       county_chair, survey, unit):
    answer_verified(client, reverse("survey_public", args=[survey.public_token]) + "?u=130123100001",
                    standard_answers(survey), "13800001111")
    page = client_for(province_chair).get(reverse("dashboard", args=[unit("石家庄市").pk]))
    rows = {r["unit"].name: r for r in page.context["board"]["children"]}
    assert rows["正定县"]["rank"] == 1 and rows["正定县"]["score"] == 1.0
    assert rows["行唐县"]["rank"] is None and rows["行唐县"]["score"] is None
    assert "无数据" in page.content.decode()


@pytest.mark.django_db
def test_a_link_for_a_village_outside_the_survey_is_refused(client, survey):
    url = reverse("survey_public", args=[survey.public_token]) + "?u=130125100201"
    response = client.post(url, {**standard_answers(survey), "phone": "13800001111"})
    assert "链接不完整" in response.content.decode() and not Response.objects.exists()


@pytest.mark.django_db
def test_a_closed_survey_takes_no_answers(client, client_for, county_chair, survey):
    client_for(county_chair).post(reverse("survey_status", args=[survey.pk]), {"status": "closed"})
    response = client.post(reverse("survey_public", args=[survey.public_token]) + "?u=130123100001",
                           {**standard_answers(survey), "phone": "13800001111"})
    assert "不接受填写" in response.content.decode() and not Response.objects.exists()


@pytest.mark.django_db
def test_a_cadre_enters_answers_for_a_woman_and_cannot_twice(client_for, village_cadre, survey, unit):
    from fulian.core.idnumber import parse_id_number
    from fulian.people.services import WomanData, woman_create
    from fulian.people.tests.helpers import female_id

    woman = woman_create(actor=None, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                    id_number=parse_id_number(female_id(1))))
    client = client_for(village_cadre)
    assert "代填问卷" in client.get(reverse("woman_detail", args=[woman.pk])).content.decode()
    url = reverse("survey_answer_for", args=[survey.pk, woman.pk])
    assert client.post(url, standard_answers(survey)).status_code == 302
    again = client.post(url, standard_answers(survey))
    assert again.status_code == 200 and "每人只能填写一次" in again.content.decode()
    assert Response.objects.get().channel == "cadre"


@pytest.mark.django_db
def test_sibling_county_cannot_see_our_dashboard_or_manage_our_survey(client_for, sibling_county_cadre, survey,
                                                                      unit):
    client = client_for(sibling_county_cadre)
    assert client.get(reverse("dashboard", args=[unit("正定县").pk])).status_code == 404
    assert client.post(reverse("dashboard_export", args=[unit("正定县").pk])).status_code == 404
    assert client.get(reverse("survey_detail", args=[survey.pk])).status_code == 404
    assert client.post(reverse("survey_status", args=[survey.pk]), {"status": "closed"}).status_code == 404


@pytest.mark.django_db
def test_ranking_with_weights_and_export(client, client_for, province_chair, survey, unit):
    url = reverse("survey_public", args=[survey.public_token])
    answer_verified(client, url + "?u=130123100001", standard_answers(survey, aware=2, score=5), "13800001111")
    answer_verified(client, url + "?u=130123101201", standard_answers(survey, aware=0, score=1), "13800002222")
    page = client_for(province_chair).get(reverse("ranking"), {"level": 4, "year": 2026, "awareness": 100,
                                                               "participation": 0, "satisfaction": 0, "benefit": 0})
    ranked = [(r["unit"].name, r["rank"]) for r in page.context["rows"]]
    assert ranked[:2] == [("新安镇", 1), ("正定镇", 2)]
    satisfaction_first = client_for(province_chair).get(reverse("ranking"), {
        "level": 4, "year": 2026, "awareness": 0, "participation": 0, "satisfaction": 100, "benefit": 0})
    assert satisfaction_first.context["rows"][0]["unit"].name == "正定镇"
    export = client_for(province_chair).post(reverse("dashboard_export", args=[unit("正定县").pk]))
    from fulian.people.tests.helpers import read_xlsx

    rows = read_xlsx(export.content)
    assert rows[0][:3] == ("组织", "月份", "答卷") and rows[1][:3] == ("正定县", "2026年", 2)


def test_score_renormalises_weights_over_rates_with_data():
    assert score_of({"awareness": 1.0, "participation": None, "satisfaction": 0.5, "benefit": None},
                    {"awareness": 25, "participation": 25, "satisfaction": 25, "benefit": 25}) == 0.75
    assert score_of({"awareness": None, "participation": None, "satisfaction": None, "benefit": None},
                    {"awareness": 25, "participation": 25, "satisfaction": 25, "benefit": 25}) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("spec", "code"), [
    ({"text": "", "kind": "single", "choices": ["a", "b"]}, "question_text"),
    ({"text": "x", "kind": "essay"}, "question_kind"),
    ({"text": "x", "kind": "single", "choices": ["only"]}, "question_choices"),
    ({"text": "x", "kind": "text", "rate": "awareness"}, "question_rate_text"),
    ({"text": "x", "kind": "scale", "rate": "satisfaction", "positive": [9]}, "question_positive"),
    ({"text": "x", "kind": "single", "choices": ["a", "b"], "rate": "benefit", "positive": [5]}, "question_positive"),
])
def test_custom_questions_are_checked(county_chair, unit, spec, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.survey_create(actor=county_chair, unit=unit("正定县"), title="t", questions=[spec],
                               starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30))
    assert exc.value.code == code


@pytest.mark.django_db
def test_custom_survey_from_the_form_lines(client_for, county_chair, unit):
    client_for(county_chair).post(reverse("survey_new", args=[unit("正定县").pk]), {
        "title": "家长课堂反馈", "starts_on": "2026-11-01", "ends_on": "2026-11-30",
        "questions": "您参加过家长课堂吗？ | 单选 | 参加过;没有 | 参与率 | 1\n"
                     "课堂对您有帮助吗？ | 打分 |  | 受益率 | 4\n建议 | 文字"})
    survey = Survey.objects.get()
    kinds = [(q.kind, q.rate, q.positive) for q in survey.questions.all()]
    assert kinds == [("single", "participation", [0]), ("scale", "benefit", [4]), ("text", "", [])]


@pytest.mark.django_db
def test_survey_page_gives_a_village_link_only_for_a_village_in_scope(client_for, county_chair, village_cadre,
                                                                     survey, unit):
    own = client_for(village_cadre).get(reverse("survey_detail", args=[survey.pk])).context
    assert own["public_url"].endswith(f"/s/{survey.public_token}/?u=130123100001")
    county = client_for(county_chair)
    assert county.get(reverse("survey_detail", args=[survey.pk])).context["public_url"] == ""
    assert county.get(reverse("survey_detail", args=[survey.pk]), {"u": "130123101201"}).context[
        "public_url"].endswith("?u=130123101201")
    assert county.get(reverse("survey_detail", args=[survey.pk]), {"u": "130125100201"}).context["public_url"] == ""


@pytest.mark.django_db
def test_the_portal_lists_open_surveys_and_she_picks_her_village_first(client, survey):
    home = client.get(reverse("portal_home")).content.decode()
    assert survey.title in home
    url = reverse("survey_public", args=[survey.public_token])
    chooser = client.get(url)
    assert chooser.templates[0].name == "evaluation/public_choose.html"
    assert client.get(url, {"u": "999999999999"}).templates[0].name == "evaluation/public_choose.html"
    answer = client.get(url, {"u": "130123100001 恒东社区"})
    assert answer.templates[0].name == "evaluation/public_answer.html" and "恒东社区" in answer.content.decode()


@pytest.mark.django_db
def test_made_up_phone_numbers_do_not_move_the_rates(client, client_for, county_chair, survey, unit, settings):
    """Ballot stuffing: answers without a code are kept and shown apart; the rates count only proved phones."""
    settings.SURVEY_ANSWERS_PER_ADDRESS = 1000
    url = reverse("survey_public", args=[survey.public_token]) + "?u=130123100001"
    answer_verified(client, url, standard_answers(survey, aware=0), "13800001111")
    for n in range(30):
        done = client.post(url, {**standard_answers(survey, aware=2), "phone": f"1390000{n:04d}"})
        assert "不计入四率" in done.content.decode()
    board = client_for(county_chair).get(reverse("dashboard", args=[unit("正定县").pk])).context["board"]
    assert board["rates"]["awareness"] == 1.0
    assert board["totals"]["responses"] == 1 and board["totals"]["responses_unverified"] == 30
    assert Response.objects.filter(is_verified=False).count() == 30
    wrong = client.post(url, {**standard_answers(survey), "phone": "13800002222", "code": "123456"})
    assert "验证码" in wrong.content.decode() and not Response.objects.filter(respondent_key__isnull=True).exists()


@pytest.mark.django_db
def test_public_answers_are_limited_per_address(client, survey, settings):
    settings.SURVEY_ANSWERS_PER_ADDRESS = 3
    url = reverse("survey_public", args=[survey.public_token]) + "?u=130123100001"
    for n in range(3):
        client.post(url, {**standard_answers(survey), "phone": f"1390000{n:04d}"})
    refused = client.post(url, {**standard_answers(survey), "phone": "13900009999"})
    assert "太多" in refused.content.decode() and Response.objects.count() == 3
