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
