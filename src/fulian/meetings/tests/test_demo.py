from fulian.meetings.demo import demo_meetings
from fulian.meetings.models import Decision, DecisionTask, Meeting
from fulian.orgs.models import Body


def test_the_demo_meetings_are_deterministic_and_safe_to_run_twice(county_chair):
    made = demo_meetings(users={"hb-county": county_chair})
    again = demo_meetings(users={"hb-county": county_chair})
    assert made["meeting"].pk == again["meeting"].pk and made["task"].pk == again["task"].pk
    assert Body.objects.filter(unit=county_chair.unit).count() == 2
    assert Meeting.objects.count() == 3 and Decision.objects.count() == 3 and DecisionTask.objects.count() == 1
    assert made["meeting"].has_quorum and made["decision"].passed and made["recipients"] == 2
    assert not Meeting.objects.get(client_token="demo-meeting-no-quorum").has_quorum
    assert "正定县人民法院" in made["joint"].organisations
