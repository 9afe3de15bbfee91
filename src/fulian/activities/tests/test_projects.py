"""Projects: a unit's brand project with partners, budget, period and targets named from the figure registry; its
page sets each target against the project's own results (its activities' records only) and, apart and labelled,
the unit's figure over the period — work outside the project never counts as the project's."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.activities import projects, services
from fulian.activities.checkin import attendance_record
from fulian.activities.models import Project
from fulian.core.errors import Conflict
from fulian.core.policy import OutOfScope

from .conftest import at

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
VALUES = {"name": "龙妹家政", "kind": "brand", "partners": ["县人社局", "县人社局", " "], "budget": "50000",
          "starts_on": TODAY - dt.timedelta(days=30), "ends_on": TODAY + dt.timedelta(days=60),
          "targets": [{"figure": "activities_held", "target": 4}, {"figure": "activity_attendances", "target": 10}]}


@pytest.fixture
def project(county_chair, unit):
    return projects.project_save(actor=county_chair, unit=unit("正定县"), values=VALUES)


def _held(actor, unit, title, day, project=None):
    made = services.activity_save(actor=actor, unit=unit, values={
        "title": title, "kind": "course", "address": "县妇女儿童活动中心", "project": project},
        sessions=[(at(day), at(day, 11))])
    return services.activity_publish(actor=actor, activity=made)


def test_a_project_keeps_its_targets_partners_and_budget(project):
    assert project.partners == ["县人社局"] and str(project.budget) == "50000.00"
    assert [t["figure"] for t in project.targets] == ["activities_held", "activity_attendances"]


@pytest.mark.parametrize("targets,code", [
    ([{"figure": "no_such_figure", "target": 3}], "project_target_figure"),
    ([{"figure": "activities_held", "target": 0}], "project_target_number"),
    ([{"figure": "activities_held", "target": 2}, {"figure": "activities_held", "target": 3}],
     "project_target_twice"),
    ([{"figure": "tasks_on_time_rate", "target": 90}], "project_target_rate"),
])
def test_a_bad_target_saves_nothing(county_chair, unit, targets, code):
    with pytest.raises(ValidationError) as refused:
        projects.project_save(actor=county_chair, unit=unit("正定县"), values={**VALUES, "targets": targets})
    assert refused.value.code == code and not Project.objects.exists()


def test_a_period_backwards_or_a_negative_budget_is_refused(county_chair, unit):
    with pytest.raises(ValidationError, match="结束日期"):
        projects.project_save(actor=county_chair, unit=unit("正定县"), values={
            **VALUES, "ends_on": VALUES["starts_on"] - dt.timedelta(days=1)})
    with pytest.raises(ValidationError, match="预算"):
        projects.project_save(actor=county_chair, unit=unit("正定县"), values={**VALUES, "budget": "-1"})


def test_a_stale_edit_is_a_conflict_and_the_next_county_may_not_edit(project, county_chair, sibling_county_cadre):
    projects.project_save(actor=county_chair, unit=project.unit, project=project, version=project.version,
                          values={**VALUES, "name": "龙妹家政（二期）"})
    with pytest.raises(Conflict):
        projects.project_save(actor=county_chair, unit=project.unit, project=project, version=project.version,
                              values=VALUES)
    with pytest.raises(OutOfScope):
        projects.project_save(actor=sibling_county_cadre, unit=project.unit, project=project, values=VALUES)


def test_results_count_only_the_projects_own_activities_and_the_unit_figure_stands_apart(project, county_chair,
                                                                                          unit):
    county = unit("正定县")
    own = _held(county_chair, county, "家政培训第一期", -2, project=project)
    _held(county_chair, county, "家风讲坛", -1)  # the county's, not the project's
    session = own.sessions.get()
    for phone in ("13812345678", "13900001111"):
        attendance_record(session=session, name="学员", phone=phone, method="walk_in", actor=county_chair,
                          now=session.starts_at)
    rows = {r["figure"]: r for r in projects.project_report(project)}
    assert rows["activities_held"]["own"] == 1 and rows["activities_held"]["unit_value"] == 2
    assert rows["activities_held"]["own_percent"] == 25
    assert rows["activity_attendances"]["own"] == 2 and rows["activity_attendances"]["own_percent"] == 20


def test_a_target_not_counted_per_project_shows_only_the_unit_figure(county_chair, unit):
    project = projects.project_save(actor=county_chair, unit=unit("正定县"), values={
        **VALUES, "targets": [{"figure": "tasks_done", "target": 5}]})
    row = projects.project_report(project)[0]
    assert row["own"] is None and row["unit_value"] == 0


def test_the_project_page_shows_both_columns_labelled(client_for, county_chair, project):
    page = client_for(county_chair).get(f"/activities/projects/{project.pk}/").content.decode()
    assert "本项目实绩" in page and "主办单位同期数据" in page and "仅供对照" in page


def test_a_project_is_made_from_the_form_with_iso_dates(client_for, county_chair):
    client = client_for(county_chair)
    assert 'name="_entry"' in client.get("/activities/projects/new/").content.decode()
    answer = client.post("/activities/projects/new/", {
        "name": "巾帼电商", "kind": "brand", "description": "", "partners": "县商务局、县邮政", "budget": "8000",
        "starts_on": "2026-03-01", "ends_on": "2026-12-31",
        "target-TOTAL_FORMS": "2", "target-INITIAL_FORMS": "0",
        "target-0-figure": "trainings_completed", "target-0-target": "100", "target-1-figure": "",
        "target-1-target": ""})
    project = Project.objects.get()
    assert answer.status_code == 302 and project.partners == ["县商务局", "县邮政"]
    assert project.targets == [{"figure": "trainings_completed", "target": 100, "label": "培训结业(人)"}]
    edit = client.get(f"/activities/projects/{project.pk}/edit/").content.decode()
    assert 'value="2026-03-01"' in edit and 'value="2026-12-31"' in edit


def test_the_next_county_gets_404_on_the_project(client_for, sibling_county_cadre, project):
    client = client_for(sibling_county_cadre)
    assert client.get(f"/activities/projects/{project.pk}/").status_code == 404
    assert client.get(f"/activities/projects/{project.pk}/edit/").status_code == 404
    assert project.name not in client.get("/activities/projects/").content.decode()
