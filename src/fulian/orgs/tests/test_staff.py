"""人员花名册: the staffing counts (编制 / 在岗) come from the named roster, on the page, in the API and in the
figures; a sibling county sees none of it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fulian.core.figures import figure_values
from fulian.orgs import building
from fulian.orgs.models import PostKind, StaffMember

TODAY = dt.date(2026, 11, 25)


def _add(chair, unit, name, kind, **more):
    member, _warning = building.staff_add(actor=chair, unit=unit, name=name, kind=kind,
                                          starts_on=more.pop("starts_on", dt.date(2025, 3, 1)), today=TODAY, **more)
    return member


@pytest.mark.django_db
def test_a_staffing_count_equals_the_named_roster(county_chair, unit):
    county = unit("正定县")
    building.post_set(actor=county_chair, unit=county, kind=PostKind.FULL_TIME, quota=3, today=TODAY)
    first = _add(county_chair, county, "陈玉梅", PostKind.FULL_TIME)
    _add(county_chair, county, "王芳", PostKind.FULL_TIME)
    _add(county_chair, county, "李红", PostKind.SECONDED, ends_on=dt.date(2027, 6, 30), seconded_from="县教育局")
    assert building.staff_counts(county, today=TODAY) == {"full_time": 2, "seconded": 1}
    assert {p.kind: p.filled for p in building.posts_with_filled(county, today=TODAY)} == {"full_time": 2}

    building.staff_end(actor=county_chair, member=first, ends_on=TODAY)
    assert building.staff_counts(county, today=TODAY) == {"full_time": 1, "seconded": 1}
    assert building.staff_counts(county, today=TODAY - dt.timedelta(days=1)) == {"full_time": 2, "seconded": 1}
    posts, by_level, overruns = building.staffing_summary(unit("石家庄市"), today=TODAY)
    assert {r["kind"]: (r["quota"], r["filled"]) for r in posts} == {"full_time": (3, 1), "seconded": (0, 1)}
    assert by_level == [{"unit__level": 3, "label": "县", "quota": 3, "filled": 2}] and overruns == 0
    # the secondment ends by itself on its date
    assert building.staff_counts(county, today=dt.date(2027, 6, 30)) == {"full_time": 1}
    values = figure_values([county.pk], ["staff_full_time", "staff_seconded"], start=202611, end=202611)
    assert values[county.pk] == {"staff_full_time": 1, "staff_seconded": 1}


@pytest.mark.django_db
def test_roster_rules(county_chair, village_cadre, unit):
    county = unit("正定县")
    with pytest.raises(ValidationError) as exc:
        _add(county_chair, county, "李红", PostKind.SECONDED)
    assert exc.value.code == "staff_secondment_end"
    with pytest.raises(ValidationError) as exc:
        _add(county_chair, county, "王芳", PostKind.PART_TIME, starts_on=TODAY, ends_on=TODAY)
    assert exc.value.code == "staff_dates"
    _add(county_chair, unit("恒东社区"), "张敏", PostKind.PART_TIME, account=village_cadre)
    with pytest.raises(ValidationError) as exc:
        _add(county_chair, unit("恒东社区"), "张敏", PostKind.FULL_TIME, account=village_cadre)
    assert exc.value.code == "staff_account_twice"
    member = StaffMember.objects.get(name="张敏")
    building.staff_end(actor=county_chair, member=member, ends_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        building.staff_end(actor=county_chair, member=member, ends_on=TODAY)
    assert exc.value.code == "staff_ended"


@pytest.mark.django_db
def test_roster_page_adds_and_ends_and_the_sibling_county_gets_404(client_for, county_chair, sibling_county_cadre,
                                                                    unit):
    client = client_for(county_chair)
    url = reverse("unit_staff", args=[unit("正定县").pk])
    added = client.post(url, {"name": "李红", "kind": "seconded", "post": "副主席", "starts_on": "2026-03-01",
                              "ends_on": "2027-02-28", "seconded_from": "正定县教育局"}, follow=True)
    page = added.content.decode()
    assert "李红" in page and "2027-02-28" in page and "正定县教育局" in page  # ISO dates round-trip
    refused = client.post(url, {"name": "王芳", "kind": "seconded", "starts_on": "2026-03-01"})
    assert "挂职期满日期" in refused.content.decode()
    member = StaffMember.objects.get()
    outsider = client_for(sibling_county_cadre)
    assert outsider.get(url).status_code == 404
    assert outsider.post(reverse("staff_end", args=[member.pk]), {"ends_on": "2026-11-25"}).status_code == 404
    client.post(reverse("staff_end", args=[member.pk]), {"ends_on": "2026-11-20"})
    member.refresh_from_db()
    assert member.ends_on == dt.date(2026, 11, 20)
    building_page = client.get(reverse("unit_building", args=[unit("正定县").pk])).content.decode()
    assert 'name="filled"' not in building_page  # 在岗 is never typed


@pytest.mark.django_db
def test_roster_api_counts_and_scope(api_for, county_chair, sibling_county_cadre, village_cadre, unit):
    client = api_for(county_chair)
    county = unit("正定县")
    for name, kind, end in (("陈玉梅", "full_time", None), ("王芳", "full_time", None),
                            ("李红", "seconded", "2027-02-28")):
        answer = client.post(f"/api/v1/units/{county.pk}/staff", {"name": name, "kind": kind,
                                                                  "starts_on": "2026-01-05", "ends_on": end},
                             content_type="application/json")
        assert answer.status_code == 201, answer.content
    post = client.put(f"/api/v1/units/{county.pk}/posts/full_time", {"quota": 1, "filled": 99},
                      content_type="application/json").json()
    assert post["filled"] == 2 and "超出编制" in post["warning"]  # the typed 99 is ignored
    listed = client.get(f"/api/v1/units/{county.pk}/staff").json()
    assert listed["count"] == 3
    member_id = next(r["id"] for r in listed["items"] if r["name"] == "王芳")
    assert client.post(f"/api/v1/staff/{member_id}/end", {"ends_on": "2026-06-01"},
                       content_type="application/json").status_code == 200
    summary = client.get(f"/api/v1/units/{county.pk}/building").json()
    assert {r["kind"]: r["filled"] for r in summary["posts"]} == {"full_time": 1, "seconded": 1}
    wrong = client.post(f"/api/v1/units/{county.pk}/staff", {"name": "张敏", "kind": "part_time",
                                                             "starts_on": "2026-01-05", "account_id": village_cadre.pk},
                        content_type="application/json")
    assert wrong.status_code == 400  # her account is of 恒东社区, not of the county
    outsider = api_for(sibling_county_cadre)
    assert outsider.get(f"/api/v1/units/{county.pk}/staff").status_code == 404
    assert outsider.post(f"/api/v1/staff/{member_id}/end", {"ends_on": "2026-06-01"},
                         content_type="application/json").status_code == 404
