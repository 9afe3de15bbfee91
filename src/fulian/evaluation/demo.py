"""Demo evaluation: the province's standard four-rate survey, answered over three months in two counties."""

import datetime as dt
import random

from django.utils import timezone

from fulian.orgs.models import Kind, Level, Unit

from .models import Survey
from .services import response_submit, survey_create, survey_set_status


def demo_survey(*, actor, province: Unit, counties: list[Unit], per_village: int, seed: int) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    survey = survey_create(
        actor=actor,
        unit=province,
        title=f"{today.year}年{province.name}妇女群众四率调查",
        standard=True,
        starts_on=today - dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=30),
    )
    survey_set_status(actor=actor, survey=survey, status=Survey.Status.OPEN)
    questions = {q.position: str(q.pk) for q in survey.questions.all()}
    count = 0
    for county in counties:
        townships = Unit.objects.filter(parent=county, kind=Kind.GEOGRAPHIC).order_by("code")
        for township in townships:
            quality = rng.uniform(0.45, 0.95)  # some townships do better than others
            villages = Unit.objects.filter(parent=township, level=Level.VILLAGE).order_by("code")
            for village in villages:
                for _ in range(per_village):
                    when = timezone.now() - dt.timedelta(days=rng.randrange(0, 85), minutes=rng.randrange(600))
                    answers = {
                        questions[1]: 0 if rng.random() < quality else rng.choice([1, 2]),
                        questions[2]: 0 if rng.random() < quality - 0.2 else 1,
                        questions[3]: min(5, max(1, round(rng.gauss(2 + 3 * quality, 0.8)))),
                        questions[4]: 0 if rng.random() < quality - 0.1 else 1,
                        questions[5]: rng.choice(["", "", "希望多办技能培训", "家门口就能参加活动很好"]),
                    }
                    response_submit(
                        survey=survey,
                        unit=village,
                        answers=answers,
                        channel="portal",
                        now=when,
                        phone=f"139{count:08d}",
                        verified=True,  # the demo stands for answers proved by a one-time code
                    )
                    count += 1
    return {"survey": survey, "responses": count}
