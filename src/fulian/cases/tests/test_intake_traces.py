"""What a help request leaves besides the case: a notice for each active leader of her village (and an e-mail for a
leader with an address), nobody else; the traces carry the case's key."""

import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.services import case_intake
from fulian.core.models import AuditEvent, Outbox


@pytest.mark.django_db
def test_a_help_request_notifies_the_active_leaders_of_her_village_only(unit):
    village = unit("恒东社区")
    chair = UserFactory(username="v-chair", unit=village, roles=["chair"], email="chair@example.org")
    vice = UserFactory(username="v-vice", unit=village, roles=["vice_chair", "staff"], email="")
    UserFactory(username="v-left", unit=village, roles=["chair"], is_active=False)
    UserFactory(username="v-staff", unit=village, roles=["staff"])
    UserFactory(username="t-chair", unit=unit("正定镇"), roles=["chair"])
    case = case_intake(kind="dv", home_unit=village, description="需要帮助", source="portal", anonymous=True,
                       client_token="n-1")
    sent = sorted(Outbox.objects.values_list("user__username", "channel", "link"))
    link = f"/cases/{case.pk}/"
    assert sent == [("v-chair", "email", link), ("v-chair", "in_app", link), ("v-vice", "in_app", link)]
    assert {chair.pk, vice.pk} == set(Outbox.objects.values_list("user_id", flat=True))
    assert AuditEvent.objects.get(action="case.create").object_id == str(case.pk)
