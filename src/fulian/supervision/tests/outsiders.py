"""Records of supervision's id routes for api/tests/test_outsiders.py: a team of 正定县 over 正定镇, a visit there
with one finding (its rectification item)."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.orgs.models import Unit
    from fulian.supervision import services

    township = Unit.objects.get(pk=village.parent_id)
    team = services.team_create(actor=chair, unit=county, name="县督导组", members=[chair], regions=[township])
    today = timezone.localdate()
    visit = services.visit_record(actor=chair, team=team, unit=township, visited_on=today,
                                  findings=[("台账不全", today + dt.timedelta(days=7))])
    item = visit.findings.get().dispatch.recipients.get()
    return {"team_id": team.pk, "visit_id": visit.pk, "rectification_id": item.pk}
