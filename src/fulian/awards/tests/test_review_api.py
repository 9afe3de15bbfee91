"""The review API: the queue, scores and their summary, decisions (a full quota 400 with its message, a stale
version 409, a hold answered as 未推荐), 撤回, the shortlist, the exports; bad input is 4xx, never 500; the next
county gets 404 on every review route."""

import json

import pytest

from fulian.awards import review
from fulian.awards.models import DecisionKind, Nomination
from fulian.cases.services import case_intake

from .outsiders_review import records
from .test_review_support import nominate, points

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_score_then_summary_then_decide(campaign, unit, township_cadre, api_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))
    api = api_for(township_cadre)
    saved = post(api, f"{API}/awards/nominations/{n.pk}/score", {"points": points(campaign, 0.8), "comment": "好"},
                 method="put")
    assert saved.status_code == 200 and saved.json()["total"] == 80.0 and saved.json()["level"] == 4
    summary = api.get(f"{API}/awards/nominations/{n.pk}/scores").json()
    assert summary["average"] == 80.0 and summary["count"] == 1 and summary["votes"] == 0
    assert summary["reviewers"][0]["outlier"] is False
    queue = api.get(f"{API}/awards/campaigns/{campaign.pk}/review-queue").json()
    assert queue["unit_name"] == "正定镇" and queue["quota"] == {"quota": 2, "used": 0, "left": 2}
    assert [(r["family_name"], r["average"], r["reviewers"]) for r in queue["waiting"]] == [("王秀兰家", 80.0, 1)]
    done = post(api, f"{API}/awards/nominations/{n.pk}/decision", {"kind": "recommend", "version": n.version})
    assert done.status_code == 200 and done.json()["at_unit_name"] == "正定县"
    queue = api.get(f"{API}/awards/campaigns/{campaign.pk}/review-queue").json()
    assert queue["quota"]["used"] == 1 and queue["sent"][0]["undoable"] is True
    back = post(api, f"{API}/awards/nominations/{n.pk}/decision/undo", {})
    assert back.status_code == 200 and back.json()["at_unit_name"] == "正定镇"


def test_a_full_quota_is_400_with_its_message_and_a_stale_version_409(campaign, unit, county_chair, api_for):
    county = unit("正定县")
    first, second = (nominate(campaign, unit("恒东社区"), name, at=county) for name in ("王家", "李家"))
    api = api_for(county_chair)
    assert post(api, f"{API}/awards/nominations/{first.pk}/decision", {"kind": "recommend"}).status_code == 200
    full = post(api, f"{API}/awards/nominations/{second.pk}/decision", {"kind": "recommend"})
    assert full.status_code == 400 and full.json()["detail"] == "正定县推荐名额为1个，已推荐1个。"
    stale = post(api, f"{API}/awards/nominations/{second.pk}/decision", {"kind": "keep", "version": 99})
    assert stale.status_code == 409


def test_a_hold_is_answered_as_a_decline(campaign, unit, family, woman, village_cadre, api_for):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    n = nominate(campaign, unit("恒东社区"), family.name, family=family,
                 members=[{"name": woman.name, "relation": "本人", "woman_id": woman.pk, "consent": True}])
    answer = post(api_for(village_cadre), f"{API}/awards/nominations/{n.pk}/decision", {"kind": "recommend"})
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["state_label"], answer.json()["reason"]) == (
        "declined", "未推荐", "经评审，未予推荐。")


def test_the_shortlist_by_tier(campaign, unit, city_chair, api_for):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("石家庄市"))
    review.decide(actor=city_chair, nomination=n, kind=DecisionKind.SHORTLIST, tier="百优")
    tiers = api_for(city_chair).get(f"{API}/awards/campaigns/{campaign.pk}/shortlist").json()["tiers"]
    assert [(t["name"], t["used"], t["left"], [r["family_name"] for r in t["nominations"]]) for t in tiers] == [
        ("十佳", 0, 1, []), ("百优", 1, 1, ["王秀兰家"])]


@pytest.mark.parametrize("url, body, method", [
    ("score", {"points": {"family_virtue": "很好"}}, "put"),
    ("score", {"points": {"family_virtue": 1e309}}, "put"),
    ("score", {"points": {"family_virtue": 12}}, "put"),
    ("decision", {"kind": "award"}, "post"),
    ("decision", {"kind": "decline"}, "post"),
    ("decision", {"kind": "keep", "version": 2**40}, "post"),
    ("scores?level=9", None, "get"),
    ("scores?level=x", None, "get"),
])
def test_bad_input_is_refused_never_a_server_error(campaign, unit, township_cadre, api_for, url, body, method):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))
    api = api_for(township_cadre)
    full = f"{API}/awards/nominations/{n.pk}/{url}"
    answer = api.get(full) if method == "get" else post(api, full, body, method=method)
    assert answer.status_code in (400, 422), answer.content
    assert Nomination.objects.get(pk=n.pk).at_unit.name == "正定镇"


def test_the_next_county_gets_404_on_every_review_route(unit, county_chair, village_cadre, sibling_county_cadre,
                                                       api_for):
    ids = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair, cadre=village_cadre)
    api = api_for(sibling_county_cadre)
    campaign, nomination = ids["award_campaign_id"], ids["nomination_id"]
    for url in [f"campaigns/{campaign}/review-queue", f"campaigns/{campaign}/shortlist",
                f"nominations/{nomination}/scores"] + [f"campaigns/{campaign}/exports/{s}.xlsx" for s in (
                    "nominations", "scores", "recommended", "shortlist", "awarded")]:
        assert api.get(f"{API}/awards/{url}").status_code == 404, url
    sends = [("score", {"points": {}}, "put"), ("decision", {"kind": "keep"}, "post"), ("decision/undo", {}, "post")]
    for url, body, method in sends:
        assert post(api, f"{API}/awards/nominations/{nomination}/{url}", body, method=method).status_code == 404, url
