"""The Excel of each stage: scoped to her subtree (the next county's cadre gets only her own county's families),
states as she may see them (a held nomination reads 未推荐), members' names only (no phones), text kept as text,
and every download audited."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.awards import review
from fulian.awards.models import DecisionKind
from fulian.cases.services import case_intake
from fulian.core.models import AuditEvent
from fulian.core.policy import Role

from .test_review_support import nominate, points

pytestmark = pytest.mark.django_db


def sheet(client, campaign, stage):
    answer = client.get(reverse(f"award_export_{stage}", args=[campaign.pk]))
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_nominations_of_her_scope_with_states_as_she_may_see_them(campaign, unit, family, woman, village_cadre,
                                                                  sibling_county_cadre, client_for):
    city_staff = UserFactory(username="city-staff", unit=unit("石家庄市"), roles=[Role.STAFF])  # no need-to-know
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    held = nominate(campaign, unit("恒东社区"), family.name, family=family, phone="13803110001",
                    members=[{"name": woman.name, "relation": "本人", "woman_id": woman.pk, "consent": True},
                             {"name": "李强", "relation": "丈夫", "woman_id": None, "consent": True}])
    review.decide(actor=village_cadre, nomination=held, kind=DecisionKind.RECOMMEND)
    nominate(campaign, unit("南关村"), "=HYPERLINK(\"x\")家")
    titles, rows = sheet(client_for(city_staff), campaign, "nominations")
    assert titles[:7] == ("编号", "家庭名称", "所在村(社区)", "推荐渠道", "事迹标题", "家庭成员", "状态")
    by_name = {r[1]: r for r in rows}
    assert by_name["王秀兰家"][5] == "王秀兰、李强" and by_name["王秀兰家"][6] == "未推荐"
    assert by_name["王秀兰家"][7] == "经评审，未予推荐。"
    flat = " ".join(str(v) for r in rows for v in r)
    assert "13803110001" not in flat and "待核查" not in flat
    assert "=HYPERLINK(\"x\")家" in by_name  # kept as text, not a live formula
    _titles, theirs = sheet(client_for(sibling_county_cadre), campaign, "nominations")
    assert [r[1] for r in theirs] == ["=HYPERLINK(\"x\")家"]
    assert AuditEvent.objects.filter(action="award.export_nominations").count() == 2


def test_scores_per_reviewer_recommended_per_level_shortlist_and_awarded(campaign, unit, township_cadre,
                                                                        county_chair, city_chair, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))
    review.score_save(actor=township_cadre, nomination=n, points=points(campaign, 0.8), comment="好")
    review.decide(actor=township_cadre, nomination=n, kind=DecisionKind.RECOMMEND)
    review.score_save(actor=county_chair, nomination=n, points=points(campaign, 0.9))
    review.decide(actor=county_chair, nomination=n, kind=DecisionKind.RECOMMEND)
    review.decide(actor=city_chair, nomination=n, kind=DecisionKind.SHORTLIST, tier="十佳")
    client = client_for(city_chair)
    titles, rows = sheet(client, campaign, "scores")
    assert titles[5] == "家风家教(30)" and [(r[3], r[-3]) for r in rows] == [("乡镇(街道)", 80), ("县", 90)]
    _titles, rows = sheet(client, campaign, "recommended")
    assert [(r[0], r[1], r[6]) for r in rows] == [("正定县", "县", 90), ("正定镇", "乡镇(街道)", 80)]
    _titles, rows = sheet(client, campaign, "shortlist")
    assert [(r[0], r[2], r[8]) for r in rows] == [("十佳", "王秀兰家", "入围")]
    _titles, rows = sheet(client, campaign, "awarded")
    assert rows == []
    assert set(AuditEvent.objects.filter(action__startswith="award.export_").values_list("action", flat=True)) == {
        "award.export_scores", "award.export_recommended", "award.export_shortlist", "award.export_awarded"}
