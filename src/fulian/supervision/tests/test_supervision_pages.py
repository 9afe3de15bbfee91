"""Supervision from the outside (HTTP client and API): recording a visit on a phone form, the county closing its
item, the team's view by region, the export, the sibling county's 404s, double submit and bad input."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fulian.dispatch.models import Recipient
from fulian.supervision import services
from fulian.supervision.models import Visit

from .conftest import today

pytestmark = pytest.mark.django_db


def visit_form(unit, *, nonce="tok-1", findings=(), checked=(), visited_on=None):
    data = {"visited_on": (visited_on or today()).isoformat(), "places": "正定镇", "summary": "查看台账",
            "client_token": nonce, "checked": [str(c) for c in checked],
            "finding-TOTAL_FORMS": "3", "finding-INITIAL_FORMS": "0", "finding-MIN_NUM_FORMS": "0",
            "finding-MAX_NUM_FORMS": "20"}
    for i, (text, due) in enumerate(findings):
        data[f"finding-{i}-text"] = text
        data[f"finding-{i}-due_on"] = due
    return data


@pytest.fixture
def visited(team, unit, city_chair):
    day = today()
    return services.visit_record(actor=city_chair, team=team, unit=unit("正定县"), visited_on=day, places="正定镇",
                                 findings=[("妇女之家活动记录不全", day + dt.timedelta(days=10)),
                                           ("执委联系台账未更新", day + dt.timedelta(days=5))])


def items():
    return list(Recipient.objects.filter(dispatch__kind="rectify").order_by("pk"))


def test_a_member_records_a_visit_on_the_form_and_a_double_submit_makes_one(team, unit, city_staff, client_for,
                                                                             county_task):
    client = client_for(city_staff)
    url = reverse("supervision_visit_new", args=[team.pk])
    pick = client.get(url).content.decode()
    assert f"?unit={unit('正定县').pk}" in pick and f"?unit={unit('正定镇').pk}" in pick
    form = client.get(f"{url}?unit={unit('正定县').pk}").content.decode()
    copy = Recipient.objects.filter(dispatch_id=county_task.pk).order_by("pk").first()
    assert "学习会议精神" in form and f'value="{copy.pk}"' in form and 'type="date"' in form and "_entry" in form
    due = (today() + dt.timedelta(days=7)).isoformat()
    data = visit_form(unit, findings=[("台账不全", due), ("阵地未挂牌", due)], checked=[copy.pk])
    first = client.post(f"{url}?unit={unit('正定县').pk}", data)
    again = client.post(f"{url}?unit={unit('正定县').pk}", data)
    visit = Visit.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("supervision_visit", args=[visit.pk])
    assert len(items()) == 2 and list(visit.checked.all()) == [copy]
    page = client.get(first["Location"]).content.decode()
    assert "台账不全" in page and "阵地未挂牌" in page and "学习会议精神" in page


def test_bad_dates_and_ids_on_the_visit_form(team, unit, city_chair, client_for):
    client = client_for(city_chair)
    url = reverse("supervision_visit_new", args=[team.pk])
    future = visit_form(unit, visited_on=today() + dt.timedelta(days=2))
    response = client.post(f"{url}?unit={unit('正定县').pk}", future)
    assert response.status_code == 200 and "督导日期不能在今天之后" in response.content.decode()
    no_due = visit_form(unit, nonce="tok-2", findings=[("台账不全", "")])
    assert "请填写整改期限" in client.post(f"{url}?unit={unit('正定县').pk}", no_due).content.decode()
    garbled = visit_form(unit, nonce="tok-3", findings=[("台账不全", "2026-13-45")])
    assert client.post(f"{url}?unit={unit('正定县').pk}", garbled).status_code == 200
    assert client.get(f"{url}?unit=abc").status_code == 400
    assert client.get(f"{url}?unit={unit('行唐县').pk}").status_code == 404  # not the team's region
    assert Visit.objects.count() == 0


def test_the_visit_goes_down_to_a_village_of_the_region_as_the_api_allows(team, unit, city_chair, client_for):
    """The page offers what the service accepts: the region (正定县), its townships, and — a level further down —
    their villages; nothing outside the region."""
    client = client_for(city_chair)
    url = reverse("supervision_visit_new", args=[team.pk])
    top = client.get(url).content.decode()
    assert "正定镇" in top and f"?under={unit('正定镇').pk}" in top and "恒东社区" not in top
    down = client.get(f"{url}?under={unit('正定镇').pk}").content.decode()
    assert f"?unit={unit('恒东社区').pk}" in down and "返回上一级" in down
    outside = client.get(f"{url}?under={unit('龙州镇').pk}").content.decode()  # not a region: the regions again
    assert "南关村" not in outside and f"?unit={unit('正定县').pk}" in outside
    response = client.post(f"{url}?unit={unit('恒东社区').pk}", visit_form(unit, nonce="tok-v"))
    assert response.status_code == 302 and Visit.objects.get().unit == unit("恒东社区")
    assert client.get(f"{url}?unit={unit('南关村').pk}").status_code == 404


def test_the_county_sees_the_item_in_todays_work_and_closes_it_with_a_note(visited, county_chair, client_for,
                                                                           city_chair):
    first, second = items()
    client = client_for(county_chair)
    today_page = client.get(reverse("today")).content.decode()
    assert "督导整改事项" in today_page and reverse("rectification_detail", args=[first.pk]) in today_page
    assert "妇女之家活动记录不全" in client.get(reverse("home")).content.decode()
    page = client.get(reverse("rectification_detail", args=[first.pk])).content.decode()
    assert "完成整改" in page and "还剩" in page
    response = client.post(reverse("rectification_close", args=[first.pk]),
                           {"note": "已补齐活动记录", "version": first.version})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_done
    page = client.get(reverse("rectification_detail", args=[first.pk])).content.decode()
    assert "已补齐活动记录" in page and "完成整改" not in page
    again = client.post(reverse("rectification_close", args=[first.pk]), {"note": "x", "version": first.version})
    assert again.status_code == 200 and "已经完成" in again.content.decode()
    empty = client.post(reverse("rectification_close", args=[second.pk]), {"note": " "})
    assert empty.status_code == 200 and not Recipient.objects.get(pk=second.pk).is_done

    team_view = client_for(city_chair).get(reverse("supervision_team_items", args=[visited.team_id]))
    text = team_view.content.decode()
    assert "未完成 1 · 逾期 0 · 已完成 1" in text


def test_the_team_exports_its_items(visited, city_chair, client_for):
    response = client_for(city_chair).get(reverse("supervision_team_export", args=[visited.team_id]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("包片地区", "被督导单位", "督导日期", "发现问题")
    assert {r[3] for r in rows[1:]} == {"妇女之家活动记录不全", "执委联系台账未更新"}


def test_the_sibling_county_sees_none_of_it(visited, sibling_county_cadre, client_for, api_for, unit):
    item = items()[0]
    team_id = visited.team_id
    client = client_for(sibling_county_cadre)
    for url in [reverse("supervision_team", args=[team_id]), reverse("supervision_visit_new", args=[team_id]),
                reverse("supervision_team_items", args=[team_id]), reverse("supervision_team_export", args=[team_id]),
                reverse("supervision_visit", args=[visited.pk]), reverse("rectification_detail", args=[item.pk]),
                reverse("rectification_evidence", args=[item.pk])]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("rectification_close", args=[item.pk]), {"note": "x"}).status_code == 404
    home = client.get(reverse("supervision_home")).content.decode()
    today_page = client.get(reverse("today")).content.decode()
    assert "第一督导组" not in home and "妇女之家活动记录不全" not in home + today_page
    api = api_for(sibling_county_cadre)
    for path in [f"teams/{team_id}", f"teams/{team_id}/visits", f"teams/{team_id}/rectifications",
                 f"visits/{visited.pk}", f"rectifications/{item.pk}", f"units/{unit('正定县').pk}/tasks"]:
        assert api.get(f"/api/v1/supervision/{path}").status_code == 404, path
    assert api.post(f"/api/v1/supervision/rectifications/{item.pk}/close", {"note": "x"},
                    content_type="application/json").status_code == 404
    assert api.post(f"/api/v1/supervision/teams/{team_id}/visits",
                    {"unit_id": unit("正定县").pk, "visited_on": today().isoformat()},
                    content_type="application/json").status_code == 404
    assert api.get("/api/v1/supervision/teams").json()["items"] == []
    assert api.get("/api/v1/supervision/rectifications").json() == []
    assert not items()[0].is_done


def test_the_api_journey(team, unit, city_chair, county_chair, api_for, province_chair):
    api = api_for(city_chair)
    made = api.post("/api/v1/supervision/teams", {
        "name": "第二督导组", "member_ids": [city_chair.pk, province_chair.pk],
        "region_ids": [unit("正定县").pk, unit("行唐县").pk]}, content_type="application/json")
    assert made.status_code == 201 and {r["name"] for r in made.json()["regions"]} == {"正定县", "行唐县"}
    due = (today() + dt.timedelta(days=3)).isoformat()
    body = {"unit_id": unit("正定县").pk, "visited_on": today().isoformat(), "client_token": "api-1",
            "findings": [{"text": "台账不全", "due_on": due}, {"text": "未挂牌", "due_on": due}]}
    url = f"/api/v1/supervision/teams/{team.pk}/visits"
    first = api.post(url, body, content_type="application/json")
    again = api.post(url, body, content_type="application/json")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert len(first.json()["rectifications"]) == 2
    by_region = api.get(f"/api/v1/supervision/teams/{team.pk}/rectifications").json()
    assert by_region[0]["region_name"] == "正定县" and by_region[0]["open"] == 2

    county = api_for(county_chair)
    mine = county.get("/api/v1/supervision/rectifications?open=true").json()
    assert [m["finding"] for m in mine] == ["台账不全", "未挂牌"]
    closed = county.post(f"/api/v1/supervision/rectifications/{mine[0]['id']}/close", {"note": "已补齐"},
                         content_type="application/json")
    assert closed.status_code == 200 and closed.json()["done"] and closed.json()["note"] == "已补齐"
    assert county.post(f"/api/v1/supervision/rectifications/{mine[0]['id']}/close", {"note": "x"},
                       content_type="application/json").status_code == 409
    assert api.get(f"/api/v1/supervision/teams/{team.pk}/rectifications").json()[0]["done"] == 1


@pytest.mark.parametrize(("body", "status"), [
    ({"visited_on": "2026-02-30"}, 422),  # the schema refuses it, with the field named (the API's convention)
    ({"visited_on": "tomorrow"}, 422),
    ({"unit_id": 0}, 422),
    ({"unit_id": "abc"}, 422),
    ({"findings": [{"text": "x", "due_on": "2020-01-01"}]}, 400),
    ({"visited_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}, 400),
    ({"unit_id": "region"}, 400),  # 行唐县: not the team's region
])
def test_bad_dates_and_ids_in_the_api_are_refused_with_a_message(team, unit, city_chair, api_for, body, status):
    base = {"unit_id": unit("正定县").pk, "visited_on": today().isoformat()}
    if body.get("unit_id") == "region":
        body = {"unit_id": unit("行唐县").pk}
    response = api_for(city_chair).post(f"/api/v1/supervision/teams/{team.pk}/visits", {**base, **body},
                                        content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json().get("detail")
    assert Visit.objects.count() == 0


def test_the_team_shows_on_the_leaders_workbench(team, city_chair, client_for):
    page = client_for(city_chair).get(reverse("home")).content.decode()
    assert reverse("supervision_team", args=[team.pk]) in page and "第一督导组" in page


def test_checked_tasks_must_be_the_visited_units(team, unit, city_chair, api_for, county_task):
    outside = Recipient.objects.filter(dispatch_id=county_task.pk).first()
    body = {"unit_id": unit("正定县").pk, "visited_on": today().isoformat(), "checked_ids": [outside.pk + 1000]}
    response = api_for(city_chair).post(f"/api/v1/supervision/teams/{team.pk}/visits", body,
                                        content_type="application/json")
    assert response.status_code == 400 and "被督导单位" in response.json()["detail"]
    body["checked_ids"] = [outside.pk]
    made = api_for(city_chair).post(f"/api/v1/supervision/teams/{team.pk}/visits", body,
                                    content_type="application/json")
    assert made.status_code == 201 and made.json()["checked_ids"] == [outside.pk]


def test_the_visit_forms_dates_round_trip_as_iso(team, unit, city_chair, client_for):
    client = client_for(city_chair)
    url = f"{reverse('supervision_visit_new', args=[team.pk])}?unit={unit('正定县').pk}"
    assert f'value="{today().isoformat()}"' in client.get(url).content.decode()
    due = (today() + dt.timedelta(days=9)).isoformat()
    refused = visit_form(unit, nonce="tok-9", visited_on=today() + dt.timedelta(days=1), findings=[("台账不全", due)])
    page = client.post(url, refused).content.decode()
    assert f'value="{due}"' in page and f'value="{(today() + dt.timedelta(days=1)).isoformat()}"' in page
    client.post(url, visit_form(unit, nonce="tok-10", findings=[("台账不全", due)]))
    item = Recipient.objects.get(dispatch__kind="rectify")
    assert timezone.localtime(item.deadline).date().isoformat() == due
    assert Visit.objects.get().visited_on == today()
