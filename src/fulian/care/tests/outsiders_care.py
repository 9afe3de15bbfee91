"""Records of the care id routes for api/tests/test_outsiders.py (and the schemathesis seed): a single mother of
恒东社区 in care with her family and a child, a help plan with an employment goal, a job 正定县 publishes for its own
subtree (not seen next door), an offer of it for the goal, and a batch matching of 正定县. No public routes."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.care import matching, plans, registry, resources
    from fulian.people.families import family_create
    from fulian.people.services import WomanData, woman_create

    today = timezone.localdate()
    woman = woman_create(actor=chair, data=WomanData(name="孙秀芳", home_unit=village, phone="13803119871"))
    family = family_create(actor=chair, unit=village, name="孙秀芳家", phone="13803119871", woman=woman)
    membership = registry.membership_add(actor=chair, woman=woman, group="single_mother", today=today,
                                         start_on=today - dt.timedelta(days=30))
    child = registry.child_create(actor=chair, family=family, name="孙小雨", sex="f",
                                  birth_date=today - dt.timedelta(days=9 * 365), situation="left_behind",
                                  guardian=woman, guardian_relation="母亲", consent_by="孙秀芳", consent_on=today,
                                  today=today)
    plan = plans.plan_open(actor=chair, woman=woman, title="就业帮扶", responsible=chair,
                           review_on=today + dt.timedelta(days=60), today=today,
                           goals=[{"category": "employment", "text": "就近就业"}])
    goal = plan.goals.get()
    job = resources.resource_create(actor=chair, unit=county, kind="job", title="家政服务员",
                                    provider="正定县某家政公司", provider_kind="enterprise", capacity=2,
                                    starts_on=today, ends_on=today + dt.timedelta(days=90))
    offer = matching.offer_send(actor=chair, goal=goal, resource=job, today=today)
    batch = matching.batch_propose(actor=chair, unit=county, today=today)
    return {"care_membership_id": membership.pk, "care_child_id": child.pk, "care_plan_id": plan.pk,
            "care_goal_id": goal.pk, "care_resource_id": job.pk, "care_offer_id": offer.pk,
            "care_batch_id": batch.pk}
