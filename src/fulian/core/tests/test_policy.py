"""The policy table: every role × own unit / child / parent / sibling × need-to-know, one row each.

A cadre of 正定县 (or a superuser without a unit, or an account without roles) asks about a record at each place.
"""

import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import (
    Action,
    actions_of,
    allows,
    is_leader_of,
    may_act_for_unit,
    may_allocate_funds,
    may_grant_role,
    may_handle_case,
    may_issue_work,
    may_keep_funds,
    may_know_child,
    may_review_article,
)

PLACES = {"own": "正定县", "child": "正定镇", "parent": "石家庄市", "sibling": "行唐县"}
WHO = ["chair", "vice_chair", "staff", "executive", "volunteer", "sysadmin", "superuser", "no_roles"]
BELOW = {"own", "child"}
EVERYWHERE = set(PLACES)

# who → the places where each answer is yes
TABLE = {
    "view": {"chair": BELOW, "vice_chair": BELOW, "staff": BELOW, "executive": BELOW, "volunteer": BELOW,
             "sysadmin": BELOW, "superuser": EVERYWHERE},
    "edit": {"chair": BELOW, "vice_chair": BELOW, "staff": BELOW, "sysadmin": BELOW, "superuser": EVERYWHERE},
    "manage_accounts": {"chair": BELOW, "sysadmin": BELOW, "superuser": EVERYWHERE},
    "view_id_number": {"chair": BELOW, "vice_chair": BELOW, "staff": BELOW, "superuser": EVERYWHERE},
    # need-to-know for survivors' cases: leaders by their own unit, never by superuser status
    "leader": {"chair": BELOW, "vice_chair": BELOW},
    "case_as_handler": {w: BELOW | {"parent"} for w in WHO if w not in ("superuser", "no_roles")},
    "case_not_handler": {"chair": BELOW, "vice_chair": BELOW},
    "review_others_piece": {"chair": BELOW, "vice_chair": BELOW, "superuser": EVERYWHERE},
    "review_own_piece": {},
    # work sent down the tree: leaders issue, remind and close; whoever may edit at a unit acts on its copy
    "issue_work": {"chair": BELOW, "vice_chair": BELOW, "superuser": EVERYWHERE},
    "act_for_unit": {"chair": BELOW, "vice_chair": BELOW, "staff": BELOW, "sysadmin": BELOW, "superuser": EVERYWHERE},
    # a child of the care registry: her family's carers who may edit there, and leaders; never a superuser as such
    "child_as_carer": {"chair": BELOW, "vice_chair": BELOW, "staff": BELOW, "sysadmin": BELOW},
    "child_not_carer": {"chair": BELOW, "vice_chair": BELOW},
    # funding: leaders confirm allocations; whoever may edit at a unit keeps its ledger
    "allocate_funds": {"chair": BELOW, "vice_chair": BELOW, "superuser": EVERYWHERE},
    "keep_funds": {"chair": BELOW, "vice_chair": BELOW, "staff": BELOW, "sysadmin": BELOW, "superuser": EVERYWHERE},
}


def _person(who, unit):
    if who == "superuser":
        return UserFactory(username="platform", is_superuser=True)
    roles = [] if who == "no_roles" else [who]
    return UserFactory(username=f"zd-{who}", unit=unit("正定县"), roles=roles)


def _answer(question, person, path):
    if question in ("view", "edit", "manage_accounts", "view_id_number"):
        return allows(person, question, path)
    if question == "leader":
        return is_leader_of(person, path)
    if question == "case_as_handler":
        return may_handle_case(person, path, is_handler=True)
    if question == "case_not_handler":
        return may_handle_case(person, path, is_handler=False)
    if question == "issue_work":
        return may_issue_work(person, path)
    if question == "act_for_unit":
        return may_act_for_unit(person, path)
    if question == "allocate_funds":
        return may_allocate_funds(person, path)
    if question == "keep_funds":
        return may_keep_funds(person, path)
    if question in ("child_as_carer", "child_not_carer"):
        return may_know_child(person, path, is_carer=question == "child_as_carer")
    if question == "review_others_piece":
        return may_review_article(person, path, author_id=-1)
    return may_review_article(person, path, author_id=person.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("question", list(TABLE))
@pytest.mark.parametrize("who", WHO)
def test_policy_table(unit, who, question):
    person = _person(who, unit)
    expected = TABLE[question].get(who, set())
    answers = {place: _answer(question, person, unit(name).path) for place, name in PLACES.items()}
    assert {place for place, yes in answers.items() if yes} == expected


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_only_administrators_enter_the_admin_and_make_administrators(unit, who):
    person = _person(who, unit)
    enters = Action.ADMIN_SITE in actions_of(person)
    assert enters == (who in ("sysadmin", "superuser"))
    assert may_grant_role(person, "sysadmin") == (who in ("sysadmin", "superuser"))
    assert may_grant_role(person, "staff")


@pytest.mark.django_db
def test_an_inactive_account_may_do_nothing(unit):
    person = UserFactory(username="gone", unit=unit("正定县"), roles=["chair"], is_active=False)
    path = unit("正定县").path
    assert not allows(person, "view", path) and not is_leader_of(person, path)
    assert not may_handle_case(person, path, is_handler=True)


# who must have a second factor: administrators anywhere, chairs and vice-chairs at county level (3) and above
NEEDS_SECOND_FACTOR = [
    ("河北省", ["chair"], True), ("石家庄市", ["vice_chair"], True), ("正定县", ["chair"], True),
    ("正定镇", ["chair"], False), ("恒东社区", ["vice_chair"], False), ("恒东社区", ["sysadmin"], True),
    ("正定县", ["staff"], False), ("河北省", ["executive"], False), ("河北省", [], False),
]


@pytest.mark.parametrize(("place", "roles", "needs"), NEEDS_SECOND_FACTOR)
def test_who_needs_a_second_factor(unit, settings, place, roles, needs):
    from fulian.core.policy import needs_second_factor

    settings.SECOND_FACTOR_REQUIRED = True
    assert needs_second_factor(UserFactory(unit=unit(place), roles=roles)) is needs
    settings.SECOND_FACTOR_REQUIRED = False
    assert needs_second_factor(UserFactory(unit=unit(place), roles=roles)) is False


# (actor's unit, roles) → (account's unit, roles) → may reset her second factor
RESETS = [
    (("石家庄市", ["chair"]), ("正定县", ["chair"]), True),  # a chair above a leader
    (("正定县", ["chair"]), ("正定县", ["staff"]), True),  # her own unit's chair for a cadre without a leader role
    (("正定县", ["chair"]), ("正定县", ["chair"]), False),  # a peer chair: only from above
    (("正定县", ["chair"]), ("正定县", ["vice_chair"]), True),  # the chair leads her vice-chairs
    (("河北省", ["chair"]), ("河北省", ["vice_chair"]), True),  # at the top too: no unit above the province
    (("河北省", ["chair"]), ("河北省", ["sysadmin"]), True),  # and the province's administrator
    (("正定县", ["vice_chair"]), ("正定县", ["chair"]), False),
    (("正定县", ["chair"]), ("石家庄市", ["staff"]), False),  # below
    (("行唐县", ["chair"]), ("正定县", ["staff"]), False),  # sibling
    (("石家庄市", ["vice_chair"]), ("正定县", ["staff"]), False),  # a chair, not a vice-chair
    (("石家庄市", ["sysadmin"]), ("正定县", ["staff"]), False),  # administrators do not reset factors
]


@pytest.mark.parametrize(("actor", "account", "allowed"), RESETS)
def test_who_resets_a_second_factor(unit, actor, account, allowed):
    from fulian.core.policy import may_reset_second_factor

    chair = UserFactory(unit=unit(actor[0]), roles=actor[1])
    cadre = UserFactory(unit=unit(account[0]), roles=account[1])
    assert may_reset_second_factor(chair, cadre) is allowed
    assert may_reset_second_factor(cadre, cadre) is False


def test_the_platforms_superuser_resets_the_province_chairs_factor(unit):
    from fulian.core.policy import may_reset_second_factor

    province_chair = UserFactory(unit=unit("河北省"), roles=["chair"])
    operator = UserFactory(unit=None, roles=[], is_superuser=True)
    assert may_reset_second_factor(operator, province_chair) is True
    assert may_reset_second_factor(operator, operator) is False


ENDS = [
    (("正定县", ["chair"]), ("恒东社区", ["staff"]), True), (("正定县", ["sysadmin"]), ("正定县", ["chair"]), True),
    (("正定县", ["staff"]), ("正定县", ["staff"]), False), (("行唐县", ["chair"]), ("正定县", ["staff"]), False),
    (("正定镇", ["chair"]), ("正定县", ["staff"]), False),
]


@pytest.mark.parametrize(("actor", "account", "allowed"), ENDS)
def test_who_ends_a_cadres_sessions(unit, actor, account, allowed):
    from fulian.core.policy import may_end_sessions_of

    manager = UserFactory(unit=unit(actor[0]), roles=actor[1])
    cadre = UserFactory(unit=unit(account[0]), roles=account[1])
    assert may_end_sessions_of(manager, cadre) is allowed
    assert may_end_sessions_of(cadre, cadre) is True


def test_only_a_superuser_ends_a_superusers_sessions(unit):
    from fulian.core.policy import may_end_sessions_of

    root = UserFactory(unit=unit("河北省"), roles=[], is_superuser=True)
    admin = UserFactory(unit=unit("河北省"), roles=["sysadmin"])
    assert may_end_sessions_of(admin, root) is False
    assert may_end_sessions_of(UserFactory(unit=None, roles=[], is_superuser=True), root) is True
