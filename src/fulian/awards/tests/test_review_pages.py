"""The review pages through the HTTP client: a unit's queue with its quota, a nomination's review page with the
score and decision forms, a full quota refused with its message and the input kept, a double submit answered
once, the eligibility hold answered like any decision, 撤回, the shortlist; and the next county gets 404."""

import pytest
from django.urls import reverse

from fulian.awards import review
from fulian.awards.models import Decision, DecisionKind, Nomination, NominationState, Score
from fulian.cases.services import case_intake

from .outsiders_review import records
from .test_review_support import nominate, points

pytestmark = pytest.mark.django_db


def test_the_queue_shows_what_waits_with_the_quota_and_the_average(campaign, unit, township_cadre, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))
    review.score_save(actor=township_cadre, nomination=n, points=points(campaign, 0.8))
    page = client_for(township_cadre).get(reverse("award_review_queue", args=[campaign.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "王秀兰家" in text and "平均分 80.00（1人评分）" in text
    assert "推荐名额" in text and "剩余名额" in text
    assert 'name="viewport"' in text  # the base template's phone layout


def test_the_review_page_scores_and_decides(campaign, unit, township_cadre, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))
    client = client_for(township_cadre)
    page = client.get(reverse("award_review", args=[n.pk]))
    assert page.status_code == 200 and "家风家教（30）" in page.content.decode()
    form = {f"p_{k}": v for k, v in points(campaign, 0.9).items()} | {"comment": "事迹突出"}
    assert client.post(reverse("award_score", args=[n.pk]), form).status_code == 302
    assert Score.objects.get(nomination=n).total == 90
    done = client.post(reverse("award_decide", args=[n.pk]), {"kind": "recommend", "version": n.version})
    assert done.status_code == 302 and done["Location"] == reverse("award_review_queue", args=[campaign.pk])
    assert Nomination.objects.get(pk=n.pk).at_unit.name == "正定县"


def test_a_score_out_of_range_keeps_her_input_with_the_message(campaign, unit, township_cadre, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))
    form = {f"p_{k}": v for k, v in points(campaign, 0.5).items()} | {"p_family_virtue": "45", "comment": "好"}
    page = client_for(township_cadre).post(reverse("award_score", args=[n.pk]), form)
    text = page.content.decode()
    assert page.status_code == 400 and 'value="45"' in text and not Score.objects.exists()


def test_a_full_quota_is_refused_on_the_page_with_the_input_kept(campaign, unit, county_chair, client_for):
    county = unit("正定县")
    first, second = (nominate(campaign, unit("恒东社区"), name, at=county) for name in ("王家", "李家"))
    review.decide(actor=county_chair, nomination=first, kind=DecisionKind.RECOMMEND)
    page = client_for(county_chair).post(reverse("award_decide", args=[second.pk]),
                                         {"kind": "recommend", "reason": "事迹感人", "version": second.version})
    text = page.content.decode()
    assert page.status_code == 400
    assert "正定县推荐名额为1个，已推荐1个。" in text and "事迹感人" in text


def test_a_double_submit_is_one_decision(campaign, unit, village_cadre, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家")
    client = client_for(village_cadre)
    for _ in range(2):
        answer = client.post(reverse("award_decide", args=[n.pk]), {"kind": "recommend", "version": n.version})
        assert answer.status_code == 302
    assert Decision.objects.filter(nomination=n).count() == 1


def test_a_held_nomination_is_answered_like_a_decline_and_shows_no_reason(campaign, unit, family, woman,
                                                                          village_cadre, township_cadre, client_for):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    held = nominate(campaign, unit("恒东社区"), family.name, family=family,
                    members=[{"name": woman.name, "relation": "本人", "woman_id": woman.pk, "consent": True}])
    declined = nominate(campaign, unit("恒东社区"), "李家")
    client = client_for(village_cadre)
    client.post(reverse("award_decide", args=[held.pk]), {"kind": "recommend", "version": held.version})
    client.post(reverse("award_decide", args=[declined.pk]), {"kind": "decline", "reason": "经评审，未予推荐。",
                                                             "version": declined.version})
    assert Nomination.objects.get(pk=held.pk).state == NominationState.HELD
    queue = client.get(reverse("award_review_queue", args=[campaign.pk])).content.decode()
    assert "待核查" not in queue and queue.count("未推荐") >= 2
    for viewer in (village_cadre, township_cadre):
        pages = [client_for(viewer).get(reverse("award_review", args=[n.pk])).content.decode() for n in (held,
                                                                                                        declined)]
        for page in pages:  # the same words, the same history, no 撤回 for either
            assert "待核查" not in page and "核查" not in page and "经评审，未予推荐。" in page
            assert "恒东社区 · 不予推荐" in page and "撤回这个决定" not in page


def test_the_decision_message_is_the_same_whether_held_or_not(campaign, unit, family, woman, village_cadre,
                                                              client_for):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    held = nominate(campaign, unit("恒东社区"), family.name, family=family,
                    members=[{"name": woman.name, "relation": "本人", "woman_id": woman.pk, "consent": True}])
    client = client_for(village_cadre)
    answer = client.post(reverse("award_decide", args=[held.pk]), {"kind": "recommend", "version": held.version},
                         follow=True)
    assert [str(m) for m in answer.context["messages"]] == [f"已保存决定：{family.name}，未推荐。"]


def test_undo_on_the_page_puts_it_back(campaign, unit, village_cadre, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家")
    review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.RECOMMEND)
    client = client_for(village_cadre)
    assert "撤回" in client.get(reverse("award_review_queue", args=[campaign.pk])).content.decode()
    answer = client.post(reverse("award_decision_undo", args=[n.pk]), {"version": n.version + 1})
    assert answer.status_code == 302
    assert Nomination.objects.get(pk=n.pk).at_unit.name == "恒东社区"


def test_the_shortlist_page_shows_each_tier_with_its_quota(campaign, unit, city_chair, client_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("石家庄市"))
    review.decide(actor=city_chair, nomination=n, kind=DecisionKind.SHORTLIST, tier="十佳")
    text = client_for(city_chair).get(reverse("award_shortlist", args=[campaign.pk])).content.decode()
    assert "名额1个，已入围1个，剩余0个" in text and "王秀兰家" in text and "名额2个，已入围0个，剩余2个" in text


def test_a_county_sees_its_townships_queue_and_not_the_next_countys(campaign, unit, county_chair, client_for):
    client = client_for(county_chair)
    url = reverse("award_review_queue", args=[campaign.pk])
    assert client.get(f"{url}?unit={unit('正定镇').pk}").status_code == 200
    assert client.get(f"{url}?unit={unit('龙州镇').pk}").status_code == 404


def test_the_next_county_gets_404_on_every_review_page(unit, county_chair, village_cadre, sibling_county_cadre,
                                                       client_for):
    ids = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair, cadre=village_cadre)
    client = client_for(sibling_county_cadre)
    campaign_pages = ["award_review_queue", "award_shortlist"] + [f"award_export_{s}" for s in
                                                                  ("nominations", "scores", "recommended",
                                                                   "shortlist", "awarded")]
    for name in campaign_pages:
        assert client.get(reverse(name, args=[ids["award_campaign_id"]])).status_code == 404, name
    for name in ("award_score", "award_decide", "award_decision_undo"):
        assert client.post(reverse(name, args=[ids["nomination_id"]]), {"kind": "keep", "version": 2}).status_code \
            == 404, name
    assert client.get(reverse("award_review", args=[ids["nomination_id"]])).status_code == 404
    assert Decision.objects.filter(undone_at__isnull=True).count() == 1
