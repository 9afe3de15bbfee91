import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fulian.orgs import building
from fulian.orgs.models import BodyKind, MemberRole, PostKind, Volunteer

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def body(county_chair, unit):
    return building.body_create(actor=county_chair, unit=unit("正定镇"), kind=BodyKind.EXECUTIVE,
                                term_start=dt.date(2024, 3, 1), term_end=dt.date(2029, 2, 28))


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "end", "code"), [
    (dt.date(2026, 1, 1), dt.date(2025, 1, 1), "term_order"),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1), "term_order"),
    (dt.date(2020, 1, 1), dt.date(2027, 1, 1), "term_long"),
])
def test_term_dates_are_checked(county_chair, unit, start, end, code):
    with pytest.raises(ValidationError) as exc:
        building.body_create(actor=county_chair, unit=unit("正定镇"), kind=BodyKind.EXECUTIVE, term_start=start,
                             term_end=end)
    assert exc.value.code == code


@pytest.mark.django_db
def test_overlapping_terms_of_one_body_are_refused(county_chair, unit, body):
    with pytest.raises(ValidationError) as exc:
        building.body_create(actor=county_chair, unit=unit("正定镇"), kind=BodyKind.EXECUTIVE,
                             term_start=dt.date(2028, 1, 1), term_end=dt.date(2032, 12, 31))
    assert exc.value.code == "term_overlap"


@pytest.mark.django_db
def test_one_chair_per_unit_and_term(county_chair, body):
    building.member_add(actor=county_chair, body=body, name="陈玉梅", role=MemberRole.CHAIR)
    with pytest.raises(ValidationError) as exc:
        building.member_add(actor=county_chair, body=body, name="另一人", role=MemberRole.CHAIR)
    assert exc.value.code == "one_chair"
    building.member_add(actor=county_chair, body=body, name="王芳", role=MemberRole.VICE_CHAIR_PART)


@pytest.mark.django_db
def test_quota_overrun_warns_but_records(county_chair, unit):
    county = unit("正定县")
    _post, warning = building.post_set(actor=county_chair, unit=county, kind=PostKind.FULL_TIME, quota=1, today=TODAY)
    assert warning is None
    for name in ("陈玉梅", "王芳"):
        _member, warning = building.staff_add(actor=county_chair, unit=county, name=name, kind=PostKind.FULL_TIME,
                                              starts_on=dt.date(2025, 1, 1), today=TODAY)
    assert "超出编制1人" in warning
    post, warning = building.post_set(actor=county_chair, unit=county, kind=PostKind.FULL_TIME, quota=1, today=TODAY)
    assert post.filled == 2 and "在岗2人" in warning
    with pytest.raises(ValidationError):
        building.post_set(actor=county_chair, unit=county, kind=PostKind.SECONDED, quota=-1, today=TODAY)


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "code"), [(0, "hours_not_positive"), (-2, "hours_not_positive"),
                                             (25, "hours_too_many")])
def test_service_hours_are_never_negative(county_chair, unit, hours, code):
    volunteer = building.volunteer_add(actor=county_chair, unit=unit("恒东社区"), name="刘敏")
    with pytest.raises(ValidationError) as exc:
        building.service_record_add(actor=county_chair, volunteer=volunteer, served_on=TODAY, hours=hours,
                                    activity="x", today=TODAY)
    assert exc.value.code == code


@pytest.mark.django_db
def test_election_completion_leaders_and_representativeness_roll_up(county_chair, unit, body, client_for,
                                                                    province_chair):
    building.member_add(actor=county_chair, body=body, name="陈玉梅", role=MemberRole.CHAIR, is_grassroots=True,
                        birth_year=1975)
    building.member_add(actor=county_chair, body=body, name="马兰", role=MemberRole.MEMBER, ethnicity="回族",
                        birth_year=1992)
    election = building.election_plan(actor=county_chair, unit=unit("正定镇"), planned_on=dt.date(2024, 3, 1))
    building.election_hold(actor=county_chair, election=election, held_on=dt.date(2024, 3, 1), today=TODAY)
    summary = building.building_summary(unit("石家庄市"), today=TODAY)
    rows = {r["unit"].name: r for r in summary["children"]}
    assert (rows["正定县"]["held"], rows["正定县"]["townships"]) == (1, 2)
    assert rows["行唐县"]["rate"] == 0.0
    assert (summary["held"], summary["townships"]) == (1, 3)
    township = next(r for r in summary["levels"] if r["label"] == "乡镇(街道)")
    assert (township["chairs"], township["members"]) == (1, 1)
    assert summary["people"] == {"total": 2, "grassroots": 1, "minority": 1, "young": 1, "older": 0}
    page = client_for(province_chair).get(reverse("unit_building", args=[unit("石家庄市").pk]))
    assert page.status_code == 200 and "陈玉梅" not in page.content.decode()  # members are listed on their unit


@pytest.mark.django_db
def test_building_page_forms_and_scope(client_for, county_chair, sibling_county_cadre, unit):
    client = client_for(county_chair)
    url = reverse("unit_building", args=[unit("正定县").pk])
    client.post(url, {"section": "volunteer", "name": "刘敏", "team": "巾帼家政服务队"})
    volunteer = Volunteer.objects.get()
    client.post(url, {"section": "hours", "volunteer": volunteer.pk, "served_on": "2026-11-20", "hours": "3.5",
                      "activity": "入户宣讲"})
    building.staff_add(actor=county_chair, unit=unit("正定县"), name="陈玉梅", kind="full_time",
                       starts_on=dt.date(2025, 1, 1))
    warned = client.post(url, {"section": "post", "kind": "full_time", "quota": "0", "filled": "9"}, follow=True)
    assert "超出编制" in warned.content.decode() and "在岗1人" in warned.content.decode()
    certificate = client.get(reverse("volunteer_certificate", args=[volunteer.pk]))
    assert "3.5" in certificate.content.decode() and "刘敏" in certificate.content.decode()
    outsider = client_for(sibling_county_cadre)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"section": "volunteer", "name": "越界"}).status_code == 404
    assert outsider.get(reverse("volunteer_certificate", args=[volunteer.pk])).status_code == 404
