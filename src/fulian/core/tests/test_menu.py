"""The top menu by role: the few entries her work uses first, the rest behind 更多 (which works without JS)."""

import re

import pytest
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.core.menu import menu_for
from fulian.core.policy import Role

# (unit, roles, superuser) → the entries shown first
FIRST = [
    ("恒东社区", [Role.STAFF], False, ["today", "women", "cases", "notices"]),
    ("恒东社区", [Role.CHAIR], False, ["today", "women", "cases", "notices"]),  # a village chair works as a cadre
    ("正定县", [Role.CHAIR], False, ["home", "cases", "publish", "dashboard"]),
    ("正定县", [Role.VICE_CHAIR], False, ["home", "cases", "publish", "dashboard"]),
    ("正定镇", [Role.STAFF], False, ["home", "women", "field_weeks", "publish"]),
    ("河北省", [Role.SYSADMIN], False, ["home", "accounts", "units", "admin"]),
    ("正定县", [Role.EXECUTIVE], False, ["home", "today", "women", "notices"]),
    ("正定县", [Role.VOLUNTEER], False, ["home", "today", "women", "notices"]),
    (None, [], True, ["home", "accounts", "units", "admin"]),
]


@pytest.mark.parametrize("unit_name, roles, superuser, first", FIRST)
def test_each_role_sees_its_few_entries_first_and_the_rest_behind_more(unit, unit_name, roles, superuser, first):
    user = UserFactory(unit=unit(unit_name) if unit_name else None, roles=roles, is_superuser=superuser)
    menu = menu_for(user)
    assert [e["key"] for e in menu["first"]] == first
    keys = [e["key"] for e in menu["first"] + menu["more"]]
    assert len(keys) == len(set(keys)) and "ranking" in keys and "me" in keys


@pytest.mark.parametrize("roles, hidden", [([Role.STAFF], {"accounts", "admin"}), ([Role.CHAIR], {"admin"}),
                                           ([Role.EXECUTIVE], {"accounts", "admin"})])
def test_entries_she_may_not_use_are_not_offered(unit, roles, hidden):
    menu = menu_for(UserFactory(unit=unit("正定县"), roles=roles))
    assert not hidden & {e["key"] for e in menu["first"] + menu["more"]}


def test_the_page_shows_the_first_entries_and_a_more_menu_without_script(client_for, village_cadre):
    html = client_for(village_cadre).get(reverse("today")).content.decode()
    nav = html[html.index('<nav class="menu"'):html.index("</nav>")]
    first = nav[:nav.index("<details")]
    assert re.findall(r'data-menu="(\w+)"', first) == ["today", "women", "cases", "notices"]
    assert '<details class="more">' in nav and "<summary>更多</summary>" in nav
    more = nav[nav.index("<details"):]
    assert 'data-menu="units"' in more and 'data-menu="accounts"' not in more
    assert 'aria-current="page"' in first.split('data-menu="women"')[0]  # she is on 今日工作


def test_nobody_signed_in_gets_no_menu(client, db):
    assert 'class="menu"' not in client.get(reverse("help_status")).content.decode()


@pytest.mark.parametrize("unit_name, roles, sees", [
    ("恒东社区", [Role.CHAIR], False), ("正定镇", [Role.STAFF], False),  # a phone menu: no developers' page
    ("正定县", [Role.STAFF], True), ("河北省", [Role.CHAIR], True), ("恒东社区", [Role.SYSADMIN], True)])
def test_the_api_docs_are_in_the_menu_of_the_desks_that_connect_systems(unit, unit_name, roles, sees):
    menu = menu_for(UserFactory(unit=unit(unit_name), roles=roles))
    assert ("api" in [e["key"] for e in menu["first"] + menu["more"]]) is sees
