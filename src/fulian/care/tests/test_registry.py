"""The care registry: groups with dates in and out (counts true for any date), and children's need-to-know."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from fulian.accounts.tests.factories import UserFactory
from fulian.care import registry
from fulian.care.models import CareGroup, Child
from fulian.contacts.services import assignment_create
from fulian.core.errors import Conflict
from fulian.core.models import ReadLog
from fulian.core.policy import OutOfScope, Role
from fulian.evaluation.recount import recount
from fulian.people.services import WomanData, woman_create

D = dt.date


def _woman(actor, village, name, phone):
    return woman_create(actor=actor, data=WomanData(name=name, home_unit=village, phone=phone))


@pytest.mark.django_db
def test_group_counts_are_true_for_a_past_date(unit, village_cadre, county_chair):
    today = D(2026, 11, 20)
    village = unit("恒东社区")
    a, b, c = (_woman(village_cadre, village, n, p) for n, p in
               (("甲", "13800000001"), ("乙", "13800000002"), ("丙", "13800000003")))
    left = registry.membership_add(actor=village_cadre, woman=a, group=CareGroup.LEFT_BEHIND, start_on=D(2025, 3, 1),
                                   today=today)
    registry.membership_end(actor=village_cadre, membership=left, end_on=D(2026, 2, 1), reason="no_longer",
                            today=today)
    registry.membership_add(actor=village_cadre, woman=b, group=CareGroup.LEFT_BEHIND, start_on=D(2026, 1, 10),
                            today=today)
    registry.membership_add(actor=village_cadre, woman=b, group=CareGroup.DISABLED, disability_grade=2,
                            start_on=D(2026, 1, 10), today=today)
    registry.membership_add(actor=village_cadre, woman=c, group=CareGroup.LOW_INCOME, low_income_kind="monitored",
                            start_on=D(2026, 6, 1), today=today)
    county = unit("正定县").path
    # on 2025-12-31 only 甲 was left-behind; on 2026-01-31 甲 and 乙; on 2026-02-01 甲 had left (the end is exclusive)
    assert registry.group_counts(county, D(2025, 12, 31))["left_behind"] == 1
    on_jan = registry.group_counts(county, D(2026, 1, 31))
    assert (on_jan["left_behind"], on_jan["disabled"], on_jan["women"]) == (2, 1, 2)
    on_feb = registry.group_counts(county, D(2026, 2, 1))
    assert (on_feb["left_behind"], on_feb["women"]) == (1, 1)
    now = registry.group_counts(county, today)
    assert (now["left_behind"], now["disabled"], now["low_income"], now["women"]) == (1, 1, 1, 2)
    assert registry.group_counts(unit("行唐县").path, today)["women"] == 0
    assert recount().differences == []


@pytest.mark.django_db
def test_memberships_refuse_what_makes_no_sense(unit, village_cadre, sibling_county_cadre, mother):
    today = D(2026, 11, 20)
    with pytest.raises(ValidationError) as low:
        registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.LOW_INCOME, start_on=today,
                                today=today)
    assert low.value.code == "care_low_income_kind"
    with pytest.raises(ValidationError) as grade:
        registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.DISABLED, start_on=today,
                                today=today)
    assert grade.value.code == "care_disability_grade"
    with pytest.raises(ValidationError):
        registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.MIGRANT,
                                start_on=today + dt.timedelta(days=1), today=today)
    with pytest.raises(OutOfScope):
        registry.membership_add(actor=sibling_county_cadre, woman=mother, group=CareGroup.MIGRANT, start_on=today,
                                today=today)
    first = registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.MIGRANT, start_on=today,
                                    today=today, client_token="tap-1")
    again = registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.MIGRANT, start_on=today,
                                    today=today, client_token="tap-1")
    assert again.pk == first.pk  # a double tap keeps one
    with pytest.raises(Conflict):
        registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.MIGRANT, start_on=today,
                                today=today)
    with pytest.raises(ValidationError):
        registry.membership_end(actor=village_cadre, membership=first, end_on=today, reason="no_longer", today=today)


@pytest.fixture
def child(village_cadre, mother, mother_family):
    return registry.child_create(
        actor=village_cadre, family=mother_family, name="李小明", sex="m", birth_date=D(2016, 5, 1),
        situation="left_behind", guardian=mother, guardian_relation="母亲", consent_by="王秀梅",
        consent_on=D(2026, 11, 1), school="恒东小学四年级", today=D(2026, 11, 20))


@pytest.mark.django_db
def test_a_childs_record_is_seen_only_by_those_who_care_for_the_family(unit, child, mother, village_cadre,
                                                                        county_chair):
    today = D(2026, 11, 20)
    sibling_village = UserFactory(username="zhangjia", unit=unit("张家庄村"), roles=[Role.STAFF])
    volunteer = UserFactory(username="hd-volunteer", unit=unit("恒东社区"), roles=[Role.VOLUNTEER])
    colleague = UserFactory(username="hd-colleague", unit=unit("恒东社区"), roles=[Role.STAFF])
    county_staff = UserFactory(username="zd-staff", unit=unit("正定县"), roles=[Role.STAFF])
    for outsider in (sibling_village, volunteer, colleague, county_staff):
        with pytest.raises(Http404):
            registry.access_child_by_id(outsider, child.pk)
        assert registry.children_for(outsider) == []
    # a volunteer linked to the mother still does not see the child (a volunteer is never a carer of minors' data)
    assignment_create(actor=village_cadre, woman=mother, cadre=volunteer, today=today)
    with pytest.raises(Http404):
        registry.access_child_by_id(volunteer, child.pk)
    # the colleague becomes her contact cadre: now she cares for the family
    assignment_create(actor=village_cadre, woman=mother, cadre=colleague, today=today)
    assert registry.access_child_by_id(colleague, child.pk) == child
    assert registry.access_child_by_id(county_chair, child.pk) == child  # a chair above
    assert registry.access_child_by_id(village_cadre, child.pk) == child  # who registered the child
    reads = ReadLog.objects.filter(object_type="care.child", object_id=str(child.pk))
    assert sorted(reads.values_list("actor__username", flat=True)) == ["county-chair", "hd-colleague",
                                                                       "village-cadre"]


@pytest.mark.django_db
def test_a_child_needs_consent_and_is_a_minor(village_cadre, mother, mother_family):
    base = {"actor": village_cadre, "family": mother_family, "name": "李小红", "sex": "f", "situation": "migrant",
            "guardian": mother, "guardian_relation": "母亲", "today": D(2026, 11, 20)}
    with pytest.raises(ValidationError) as consent:
        registry.child_create(birth_date=D(2018, 1, 1), consent_by="", consent_on=None, **base)
    assert consent.value.code == "child_consent"
    with pytest.raises(ValidationError) as adult:
        registry.child_create(birth_date=D(2000, 1, 1), consent_by="王秀梅", consent_on=D(2026, 11, 1), **base)
    assert adult.value.code == "child_adult"
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_concurrent_edits_of_a_child_one_wins(child, village_cadre):
    today = D(2026, 11, 20)
    registry.child_update(actor=village_cadre, child=child, version=1, today=today, school="恒东小学五年级")
    with pytest.raises(Conflict):
        registry.child_update(actor=village_cadre, child=Child.objects.get(pk=child.pk), version=1, today=today,
                              school="别的学校")
    assert Child.objects.get(pk=child.pk).school == "恒东小学五年级"


@pytest.mark.django_db
def test_her_groups_follow_her_when_she_moves(unit, village_cadre, county_chair, mother):
    from fulian.people.services import woman_update

    registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.SINGLE_MOTHER, start_on=D(2026, 1, 1),
                            today=D(2026, 11, 20))
    woman_update(actor=county_chair, woman=mother, version=mother.version,
                 data=WomanData(name=mother.name, home_unit=unit("西柏棠村"), phone=mother.phone))
    assert registry.group_counts(unit("新安镇").path, D(2026, 11, 20))["single_mother"] == 1
    assert registry.group_counts(unit("正定镇").path, D(2026, 11, 20))["single_mother"] == 0
    assert recount().differences == []


@pytest.mark.django_db
def test_a_merged_duplicates_care_follows_the_surviving_record(unit, village_cadre, county_chair, mother):
    from fulian.care import plans
    from fulian.care.models import CareMembership, HelpPlan
    from fulian.people.services import woman_merge

    today = D(2026, 11, 20)
    twin = _woman(county_chair, unit("张家庄村"), "王秀梅", "13803119999")
    registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.SINGLE_MOTHER, start_on=D(2026, 1, 1),
                            today=today)
    registry.membership_add(actor=county_chair, woman=twin, group=CareGroup.SINGLE_MOTHER, start_on=D(2026, 3, 1),
                            today=today)
    registry.membership_add(actor=county_chair, woman=twin, group=CareGroup.MIGRANT, start_on=D(2026, 3, 1),
                            today=today)
    plans.plan_open(actor=county_chair, woman=twin, title="就业", responsible=county_chair, today=today,
                    review_on=today, goals=[{"category": "employment", "text": "就业"}])
    woman_merge(actor=county_chair, survivor=mother, duplicate=twin)
    assert sorted(CareMembership.objects.filter(woman=mother).values_list("group", flat=True)) == [
        "migrant", "single_mother"]  # one single-mother membership: the survivor's
    assert not CareMembership.objects.filter(woman=twin).exists()
    assert HelpPlan.objects.get().woman == mother and HelpPlan.objects.get().goals.get().woman == mother
    assert registry.group_counts(unit("正定县").path, today)["women"] == 1
    assert recount().differences == []
