"""Every id route of nominations (pages and API), with the records of outsiders_nominations, tried by the chair of
the county next door: 404 each (the public ones are 404 only for a campaign not open to the portal)."""

import json
import re

from django.urls import reverse

from fulian.awards import urls_nominations

from .outsiders_nominations import records


def test_the_sibling_county_chair_gets_404_on_every_id_route(unit, county_chair, village_cadre,
                                                              sibling_county_cadre, client_for, api_for):
    ids = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair, cadre=village_cadre)
    client = client_for(sibling_county_cadre)
    for pattern in urls_nominations.urlpatterns:
        names = re.findall(r"<int:(\w+)>", str(pattern.pattern))
        if not names:
            continue
        url = reverse(pattern.name, kwargs={n: ids[n] for n in names})
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url).status_code == 404, url
    api = api_for(sibling_county_cadre)
    for method, url in [("get", f"/api/v1/awards/campaigns/{ids['award_campaign_id']}/nominations"),
                        ("post", f"/api/v1/awards/campaigns/{ids['award_campaign_id']}/nominations"),
                        ("get", f"/api/v1/awards/nominations/{ids['nomination_id']}"),
                        ("post", f"/api/v1/awards/nominations/{ids['nomination_id']}/merge"),
                        ("post", f"/api/v1/awards/nominations/{ids['nomination_id']}/withdraw"),
                        ("post", f"/api/v1/awards/nominations/{ids['nomination_id']}/photos"),
                        ("get", f"/api/v1/awards/photos/{ids['award_photo_id']}"),
                        ("post", f"/api/v1/awards/eligibility-checks/{ids['eligibility_check_id']}")]:
        response = getattr(api, method)(url, "{}", content_type="application/json") if method == "post" else \
            api.get(url)
        assert response.status_code in (404, 422) and response.status_code != 200, url
        if response.status_code == 422:  # a body the route needs: with a valid one it is still 404
            body = json.dumps({"into_id": ids["nomination_id"], "clear": True, "channel": "media",
                               "story": "好" * 30}, ensure_ascii=False)
            assert api.post(url, body, content_type="application/json").status_code == 404, url
