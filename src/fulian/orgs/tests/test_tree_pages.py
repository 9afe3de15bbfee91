import re

import pytest
from django.urls import reverse

from fulian.core.models import AuditEvent
from fulian.orgs.models import Conversion, Kind, Unit


@pytest.mark.django_db
def test_county_chair_sees_her_county_with_breadcrumb_and_children(client_for, county_chair, unit):
    response = client_for(county_chair).get(reverse("unit_detail", args=[unit("正定县").pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "正定县妇联" in html
    assert "石家庄市" in html and "河北省" in html  # breadcrumb
    assert "正定镇" in html and "新安镇" in html  # children
    assert "行唐县" not in html


@pytest.mark.django_db
def test_children_carry_counts_of_units_and_villages_under_them(client_for, province_chair, unit):
    response = client_for(province_chair).get(reverse("unit_detail", args=[unit("正定县").pk]))
    children = {c.name: c for c in response.context["page"].object_list}
    assert (children["正定镇"].unit_count, children["正定镇"].village_count) == (2, 2)
    assert (children["新安镇"].unit_count, children["新安镇"].village_count) == (1, 1)


@pytest.mark.django_db
def test_sibling_county_cadre_gets_404_for_a_unit_of_another_county(client_for, sibling_county_cadre, unit):
    client = client_for(sibling_county_cadre)
    for name in ("正定县", "正定镇", "恒东社区", "石家庄市", "河北省"):
        assert client.get(reverse("unit_detail", args=[unit(name).pk])).status_code == 404, name
    assert client.get(reverse("unit_detail", args=[unit("南关村").pk])).status_code == 200


@pytest.mark.django_db
def test_unknown_unit_and_forbidden_unit_look_the_same(client_for, sibling_county_cadre, unit):
    client = client_for(sibling_county_cadre)
    forbidden = client.get(reverse("unit_detail", args=[unit("正定县").pk]))
    missing = client.get(reverse("unit_detail", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404

    def page_text(response):  # the CSRF token and the echoed path differ by nature
        return re.sub(r'(value="[^"]*"|"X-CSRFToken": "[^"]*")', "", response.content.decode())

    assert page_text(forbidden) == page_text(missing)


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client, unit):
    response = client.get(reverse("unit_detail", args=[unit("正定县").pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["zjz", "ZJZ", "zhangjia", "张家", "130123100210"])
def test_search_finds_a_village_by_pinyin_initials_syllables_name_or_code(client_for, county_chair, query):
    response = client_for(county_chair).get(reverse("unit_search"), {"q": query})
    names = [u.name for u in response.context["page"].object_list]
    assert names == ["张家庄村"]


@pytest.mark.django_db
def test_search_never_shows_units_outside_her_scope(client_for, sibling_county_cadre):
    client = client_for(sibling_county_cadre)
    for query in ("zjz", "正定", "1301231", "hd"):
        page = client.get(reverse("unit_search"), {"q": query}).context["page"]
        assert list(page.object_list) == [], query


@pytest.mark.django_db
def test_search_within_a_unit_is_a_partial_for_htmx(client_for, province_chair, unit):
    response = client_for(province_chair).get(
        reverse("unit_search"), {"q": "n", "under": unit("行唐县").pk}, HTTP_HX_REQUEST="true"
    )
    assert response.templates[0].name == "orgs/_search_results.html"
    assert [u.name for u in response.context["page"].object_list] == ["南关村"]


@pytest.mark.django_db
def test_county_chair_adds_a_new_economic_organisation_under_a_township(client_for, county_chair, unit):
    township = unit("正定镇")
    response = client_for(county_chair).post(
        reverse("unit_add_organisation", args=[township.pk]),
        {"name": "正定镇电商产业园妇委会", "kind": Kind.NEW_ORGANISATION},
    )
    org = Unit.objects.get(name="正定镇电商产业园妇委会")
    assert response.status_code == 302 and response["Location"] == reverse("unit_detail", args=[org.pk])
    assert org.parent == township and org.path.startswith(township.path) and org.kind == Kind.NEW_ORGANISATION
    assert org.code.startswith(township.code + "-")
    assert AuditEvent.objects.filter(action="unit.create", object_id=str(org.pk), actor=county_chair).exists()


@pytest.mark.django_db
def test_adding_the_same_organisation_twice_gives_a_message_not_a_second_unit(client_for, county_chair, unit):
    client = client_for(county_chair)
    url = reverse("unit_add_organisation", args=[unit("正定镇").pk])
    client.post(url, {"name": "物流园妇委会", "kind": Kind.NEW_ORGANISATION})
    second = client.post(url, {"name": "物流园妇委会", "kind": Kind.NEW_ORGANISATION})
    assert second.status_code == 200
    assert "已有同名组织" in second.content.decode()
    assert Unit.objects.filter(name="物流园妇委会").count() == 1


@pytest.mark.django_db
def test_organisations_hang_only_under_a_county_or_township(client_for, county_chair, unit):
    response = client_for(county_chair).post(
        reverse("unit_add_organisation", args=[unit("恒东社区").pk]), {"name": "某组织", "kind": Kind.NEW_ORGANISATION}
    )
    assert response.status_code == 200
    assert "只有县级和乡镇" in response.content.decode()
    assert not Unit.objects.filter(name="某组织").exists()


@pytest.mark.django_db
def test_sibling_county_cadre_cannot_add_an_organisation_in_another_county(client_for, sibling_county_cadre, unit):
    response = client_for(sibling_county_cadre).post(
        reverse("unit_add_organisation", args=[unit("正定镇").pk]), {"name": "越界组织", "kind": Kind.NEW_ORGANISATION}
    )
    assert response.status_code == 404
    assert not Unit.objects.filter(name="越界组织").exists()


@pytest.mark.django_db
def test_village_conversion_is_recorded_audited_and_counted(client_for, county_chair, unit):
    village = unit("恒东社区")
    client = client_for(county_chair)
    client.post(reverse("unit_conversion", args=[village.pk]), {"conversion": Conversion.FEDERATION})
    village.refresh_from_db()
    assert village.conversion == Conversion.FEDERATION
    event = AuditEvent.objects.get(action="unit.set_conversion")
    assert event.changes == {"conversion": ["congress", "federation"]}
    summary = client.get(reverse("unit_detail", args=[unit("正定县").pk])).context["summary"]
    assert (summary["villages_converted"], summary["villages"]) == (1, 3)


@pytest.mark.django_db
def test_a_read_only_role_cannot_change_conversion(client_for, unit):
    from fulian.accounts.tests.factories import UserFactory

    executive = UserFactory(unit=unit("正定县"), roles=["executive"])
    village = unit("恒东社区")
    response = client_for(executive).post(reverse("unit_conversion", args=[village.pk]), {"conversion": "federation"})
    assert response.status_code == 404
    village.refresh_from_db()
    assert village.conversion == Conversion.CONGRESS


@pytest.mark.django_db
def test_home_shows_her_unit_and_its_coverage(client_for, village_cadre):
    response = client_for(village_cadre).get(reverse("home"))
    assert response.status_code == 200
    assert "恒东社区妇联" in response.content.decode()
