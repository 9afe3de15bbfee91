"""Records of the family routes for api/tests/test_outsiders.py: a family of 恒东社区 with one member."""


def records(*, county, village, chair, cadre) -> dict:
    from fulian.people import families

    family = families.family_create(actor=chair, unit=village, name="王家")
    member = families.family_member_add(actor=chair, family=family, relation="head", name="王建国", sex="m",
                                        birth_year=1980)
    return {"family_id": family.pk, "member_id": member.pk}
