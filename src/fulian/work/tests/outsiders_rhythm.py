"""Records of the rhythm of the work (工作重点, 人员花名册) for api/tests/test_outsiders.py: all of 正定县's subtree."""

import datetime as dt


def records(*, county, village, chair, cadre) -> dict:
    from fulian.orgs import building
    from fulian.work.services import priorities_set

    priorities = priorities_set(actor=chair, unit=county, year=2026, items=[{"text": "做好联系服务妇女工作"}])
    member, _warning = building.staff_add(actor=chair, unit=county, name="李红", kind="seconded",
                                          starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2027, 2, 28))
    return {"priorities_id": priorities.pk, "staff_member_id": member.pk}
