"""Rankings: a city/county chooser within her subtree, city (and county) columns, weights shown as the shares the
score uses, and a dashboard chart whose bars drill one level down."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from fulian.evaluation import selectors


def options(html):
    select = html[html.index('<select id="id_under"'):]
    return re.findall(r"<option value=\"\d+\"[^>]*>(?:　)?([^<]+)</option>", select[:select.index("</select>")])


def test_the_chooser_offers_the_cities_and_counties_of_her_subtree_only(client_for, province_chair, county_chair):
    assert options(client_for(province_chair).get(reverse("ranking")).content.decode()) == [
        "石家庄市", "正定县", "行唐县"]
    assert options(client_for(county_chair).get(reverse("ranking")).content.decode()) == ["正定县"]


def test_a_unit_outside_her_subtree_cannot_be_chosen(client_for, county_chair, unit):
    assert client_for(county_chair).get(reverse("ranking"), {"under": unit("行唐县").pk}).status_code == 404


def test_too_many_villages_asks_for_a_city_or_county_and_choosing_one_ranks_them(client_for, province_chair, unit,
                                                                                monkeypatch):
    monkeypatch.setattr(selectors, "RANKING_MAX_UNITS", 3)  # 河北 has four villages in the fixture tree
    page = client_for(province_chair).get(reverse("ranking"), {"level": 5, "year": 2026}).content.decode()
    assert "请先选择一个市或县" in page and '<a href="#id_under">' in page and options(page)
    chosen = client_for(province_chair).get(reverse("ranking"), {"level": 5, "year": 2026,
                                                                  "under": unit("正定县").pk})
    assert chosen.context["error"] is None
    assert [r["unit"].name for r in chosen.context["rows"]] == ["恒东社区", "张家庄村", "西柏棠村"]


def test_county_rankings_show_their_city_and_filter_by_it(client_for, province_chair, unit):
    page = client_for(province_chair).get(reverse("ranking"), {"level": 3, "year": 2026})
    html = page.content.decode()
    assert "<th>市</th>" in html and "<th>县</th>" not in html
    assert {r["unit"].name: r["areas"][2].name for r in page.context["rows"]} == {"正定县": "石家庄市",
                                                                                  "行唐县": "石家庄市"}
    assert f"under={unit('石家庄市').pk}" in html  # the city in each row filters by it
    villages = client_for(province_chair).get(reverse("ranking"), {"level": 5, "year": 2026,
                                                                    "under": unit("石家庄市").pk})
    assert "<th>县</th>" in villages.content.decode()
    assert {r["areas"][3].name for r in villages.context["rows"]} == {"正定县", "行唐县"}


@pytest.mark.parametrize("weights, shown, scaled", [
    ((25, 25, 25, 25), "知晓率 25%、参与率 25%、满意率 25%、受益率 25%", False),
    ((10, 10, 10, 10), "知晓率 25%、参与率 25%、满意率 25%、受益率 25%", True),
    ((50, 0, 0, 0), "知晓率 100%、参与率 0%、满意率 0%、受益率 0%", True),
    ((60, 20, 20, 20), "知晓率 50%、参与率 17%、满意率 17%、受益率 17%", True),
])
def test_weights_are_shown_as_the_shares_the_score_uses(client_for, province_chair, weights, shown, scaled):
    names = ("awareness", "participation", "satisfaction", "benefit")
    query = {"level": 3, "year": 2026, **dict(zip(names, weights, strict=True))}
    page = client_for(province_chair).get(reverse("ranking"), query)
    text = re.sub(r"\s+", " ", page.content.decode())
    assert shown in text
    assert ("权重合计不是100%，已按比例换算为" in text) is scaled


def test_all_zero_weights_are_refused(client_for, province_chair):
    page = client_for(province_chair).get(reverse("ranking"), {"level": 3, "year": 2026, "awareness": 0,
                                                               "participation": 0, "satisfaction": 0, "benefit": 0})
    assert "至少给一个率大于0的权重" in page.content.decode() and page.context["rows"] == []


def test_each_row_drills_one_level_down(client_for, province_chair, unit):
    html = client_for(province_chair).get(reverse("ranking"), {"level": 3, "year": 2026}).content.decode()
    assert f'<a href="?level=4&amp;year=2026&amp;under={unit("正定县").pk}" data-drill>' in html


def test_the_dashboard_chart_links_each_bar_to_that_unit_one_level_down(client_for, county_chair, unit):
    page = client_for(county_chair).get(reverse("dashboard", args=[unit("正定县").pk]), {"year": 2026})
    chart = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>',
                                 page.content.decode()).group(1))
    assert chart["children"] == ["正定镇", "新安镇"]
    assert chart["links"] == [f"/dashboard/{unit(name).pk}/?year=2026" for name in ("正定镇", "新安镇")]
    assert 'chart.on("click"' in (settings.BASE_DIR / "static" / "fulian" / "charts.js").read_text()
