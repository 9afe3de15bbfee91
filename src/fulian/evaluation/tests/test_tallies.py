"""Live figures equal a recount from the records after any mix of writes and deletes across the tree."""

import datetime as dt
import random

import pytest
import time_machine

from fulian.contacts import services as contacts
from fulian.core.idnumber import parse_id_number
from fulian.evaluation import services
from fulian.evaluation.models import Survey, Tally, TallyDelta
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold, figures_for, rates_of
from fulian.people.models import Woman
from fulian.people.services import WomanData, woman_create, woman_merge, woman_update
from fulian.people.tests.helpers import female_id

VILLAGES = ["恒东社区", "张家庄村", "西柏棠村", "南关村"]
NOW = dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC)


@pytest.fixture
def survey(province_chair, unit):
    s = services.survey_create(actor=province_chair, unit=unit("河北省"), title="2026年四率调查", standard=True,
                               starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 12, 31))
    return services.survey_set_status(actor=province_chair, survey=s, status=Survey.Status.OPEN)


def answers_for(survey, rng):
    q = {x.position: x.pk for x in survey.questions.all()}
    return {str(q[1]): rng.randrange(3), str(q[2]): rng.randrange(2), str(q[3]): rng.randint(1, 5),
            str(q[4]): rng.randrange(2), str(q[5]): rng.choice(["", "多办培训"])}


@pytest.mark.django_db
def test_random_inserts_and_deletes_leave_every_figure_equal_to_the_recount(survey, province_chair, unit):
    rng = random.Random(2026)
    responses, women = [], []
    with time_machine.travel(NOW, tick=False) as clock:
        for i in range(60):
            village = unit(rng.choice(VILLAGES))
            action = rng.random()
            if action < 0.45 or not responses:
                responses.append(services.response_submit(
                    survey=survey, unit=village, answers=answers_for(survey, rng), channel="portal",
                    phone=f"138{len(responses) + 1000 * i:08d}", verified=rng.random() < 0.7))
            elif action < 0.6:
                services.response_delete(actor=province_chair, response=responses.pop(rng.randrange(len(responses))))
            elif action < 0.8:
                women.append(woman_create(actor=None, data=WomanData(
                    name="测试", home_unit=village, id_number=parse_id_number(female_id(i)))))
            elif women:
                woman = rng.choice(women)
                contacts.contact_log_create(actor=province_chair, woman=woman, today=NOW.date(),
                                            contacted_on=NOW.date() - dt.timedelta(days=rng.randrange(90)),
                                            channel="phone", needs=[("legal", "")] * rng.randrange(3))
            if i % 20 == 19:
                clock.shift(dt.timedelta(days=17))
        woman = women[0]
        woman_update(actor=province_chair, woman=woman, version=woman.version,
                     data=WomanData(name="测试", home_unit=unit("南关村"), id_number=None))
        if len(women) > 2:
            woman_merge(actor=province_chair, survivor=women[1], duplicate=women[2])
        for need in woman.needs.all()[:1]:
            contacts.need_resolve(actor=province_chair, need=need, resolution="ok", today=NOW.date())
    report = recount()
    assert report.differences == []
    assert report.rows > 50
    verified = sum(r.is_verified for r in responses)
    hebei = unit("河北省")
    assert figures_for([hebei.pk], [202600])[hebei.pk][202600]["responses"] == verified  # live, before any fold
    figures_fold()
    assert not TallyDelta.objects.exists() and recount().differences == []
    assert Tally.objects.filter(unit=hebei, period=202600, metric="responses").get().value == verified


@pytest.mark.django_db
def test_a_figure_is_the_same_row_read_at_any_level(survey, unit):
    with time_machine.travel(NOW, tick=False):
        services.response_submit(survey=survey, unit=unit("恒东社区"), channel="portal", phone="13800000001",
                                 answers=answers_for(survey, random.Random(1)), verified=True)
    for name in ("恒东社区", "正定镇", "正定县", "石家庄市", "河北省"):
        values = figures_for([unit(name).pk], [202611])[unit(name).pk][202611]
        assert values["responses"] == 1, name
    assert figures_for([unit("行唐县").pk], [202611]) == {}


@pytest.mark.django_db
def test_a_rate_with_no_answers_is_no_data_not_zero():
    assert rates_of({}) == {"awareness": None, "participation": None, "satisfaction": None, "benefit": None}
    assert rates_of({"awareness_answered": 4, "awareness_positive": 0})["awareness"] == 0.0


@pytest.mark.django_db
def test_recount_reports_a_tampered_figure_and_fixes_it(survey, unit, capsys):
    from django.core.management import call_command

    with time_machine.travel(NOW, tick=False):
        services.response_submit(survey=survey, unit=unit("恒东社区"), channel="portal", phone="13800000001",
                                 answers=answers_for(survey, random.Random(1)), verified=True)
    figures_fold()
    Tally.objects.filter(unit=unit("正定县"), metric="responses", period=202611).update(value=7)
    with pytest.raises(SystemExit):
        call_command("indicators_recount")
    assert "stored 7, records say 1" in capsys.readouterr().out
    call_command("indicators_recount", "--fix")
    assert recount().differences == []
    assert Woman.objects.count() == 0


@pytest.mark.django_db
def test_figures_spread_over_slots_at_the_top_read_as_one_and_equal_the_recount(settings, unit):
    """A province's and a city's rows are spread over slots (writers seldom wait for one another's row lock);
    a county's stays one row; the figure read is the sum, and the recount reads the same sum."""
    from fulian.core.figures import figures_add
    from fulian.evaluation.tallies import figures_for

    settings.FIGURE_SLOTS = 4
    village = unit("恒东社区")
    for _ in range(40):  # each fold adds to one slot, at random
        figures_add([(village.path, 202611, "contacts", 1)])
        figures_fold()
    hebei, city, county = unit("河北省"), unit("石家庄市"), unit("正定县")
    rows = Tally.objects.filter(period=202611, metric="contacts")
    assert rows.filter(unit=hebei).count() > 1 and rows.filter(unit=city).count() > 1  # 40 writes over 4 slots
    assert rows.filter(unit=county).count() == 1
    figures = figures_for([hebei.pk, city.pk, county.pk, village.pk], [202611, 202600])
    assert {figures[u.pk][p]["contacts"] for u in (hebei, city, county, village) for p in (202611, 202600)} == {40}
    # the recount reads the stored figure as the sum of its slots too (these deltas have no records behind them,
    # so it reports each level's stored 40 against 0 counted)
    assert {d[3] for d in recount().differences if d[2] == "contacts"} == {40}
