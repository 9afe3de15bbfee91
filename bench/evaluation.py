"""Issue 4 figures: the dashboard at the province root vs a village with 1,000,000 survey answers, and the
time of a full recount of every figure from the records."""

import datetime as dt
import random
import time

from django.db import connection
from django.test import Client
from django.utils import timezone

from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.evaluation.models import Answer, Response, Survey
from fulian.evaluation.recount import recount
from fulian.evaluation.services import survey_create
from fulian.evaluation.tallies import period_of
from fulian.orgs.models import Kind, Level, Unit

from .run import compare

ANSWERS = 1_000_000


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    hebei = Unit.objects.get(code="130000000000")
    units = Unit.objects.subtree(hebei).count()
    chair = UserFactory(username="bench-eval-chair", unit=hebei, roles=["chair"])
    today = timezone.localdate()
    survey = survey_create(actor=chair, unit=hebei, title="bench", standard=True,
                           starts_on=today - dt.timedelta(days=365), ends_on=today)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    survey.status = Survey.Status.OPEN
    questions = [q for q in survey.questions.all() if q.rate]
    villages = list(Unit.objects.filter(level=Level.VILLAGE, kind=Kind.GEOGRAPHIC, code__startswith="13")
                    .only("id", "path"))
    rng = random.Random(5)
    t = time.perf_counter()
    responses_needed = ANSWERS // len(questions)
    now = timezone.now()
    for start in range(0, responses_needed, 5000):
        batch = []
        for i in range(start, min(start + 5000, responses_needed)):
            village = villages[i % len(villages)]
            when = now - dt.timedelta(days=rng.randrange(330))
            batch.append(Response(survey=survey, respondent_key=f"bench{i}", unit_id=village.pk,
                                  unit_path=village.path, channel="portal", submitted_at=when,
                                  period=period_of(when), is_verified=True))
        Response.objects.bulk_create(batch)
        answers = []
        for response in batch:
            for q in questions:
                if q.kind == "scale":
                    value = rng.randint(1, 5)
                    positive = value >= q.positive[0]
                else:
                    value = rng.randrange(len(q.choices))
                    positive = value in q.positive
                answers.append(Answer(response=response, question=q, value=value, is_positive=positive))
        Answer.objects.bulk_create(answers, batch_size=5000)
    print(f"  (wrote {responses_needed:,} answer sheets, {Answer.objects.count():,} answers in "
          f"{time.perf_counter() - t:.0f}s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    t = time.perf_counter()
    first = recount(fix=True)
    fix_s = time.perf_counter() - t
    t = time.perf_counter()
    check = recount()
    check_s = time.perf_counter() - t
    assert check.differences == [], check.differences[:5]
    report.add(f"full recount of every figure ({first.rows:,} figures), check", f"{check_s:.1f}s",
               "recount that rewrites them all", f"{fix_s:.1f}s", check_s / fix_s)

    # what liveness costs a writer: one answer sheet through the service (figures for 5 levels × month and year)
    # against the same sheet inserted bare
    from fulian.evaluation.services import response_submit

    sample = villages[:200]
    answers = {str(q.pk): (4 if q.kind == "scale" else 0) for q in questions}
    t = time.perf_counter()
    for i, village in enumerate(sample):
        response_submit(survey=survey, unit=village, answers=answers, channel="api", phone=f"137{i:08d}",
                        verified=True)
    live_ms = (time.perf_counter() - t) * 1000 / len(sample)
    t = time.perf_counter()
    for i, village in enumerate(sample):
        r = Response.objects.create(survey=survey, respondent_key=f"bare{i}", unit_id=village.pk,
                                    unit_path=village.path, channel="api", submitted_at=now, period=period_of(now),
                                    is_verified=True)
        Answer.objects.bulk_create([Answer(response=r, question=q, value=0, is_positive=True) for q in questions])
    bare_ms = (time.perf_counter() - t) * 1000 / len(sample)
    Response.objects.filter(respondent_key__startswith="bare").delete()  # the reference rows go: figures stay exact
    report.add("submit one answer sheet, figures updated live (ms)", f"{live_ms:.1f} ms",
               "same rows inserted bare, no figures", f"{bare_ms:.1f} ms", live_ms / bare_ms)

    village = Unit.objects.get(pk=villages[0].pk)
    village_chair = UserFactory(username="bench-eval-village", unit=village, roles=["chair"])
    calls = {}
    for user, unit in ((chair, hebei), (village_chair, village)):
        _t, key = token_create(user=user, name="bench")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        page = Client()
        page.force_login(user)
        calls[unit.pk] = {
            "dashboard page": lambda page=page, unit=unit: _ok(page.get(f"/dashboard/{unit.pk}/")),
            "dashboard API": lambda api=api, unit=unit: _ok(api.get(f"/api/v1/units/{unit.pk}/dashboard")),
        }
    for label in calls[hebei.pk]:
        compare(report, label, calls[hebei.pk][label], calls[village.pk][label], repeat=repeat,
                root_name=f"province, {units:,} units, {ANSWERS:,} answers")


def _ok(response):
    assert response.status_code == 200, response.status_code
