import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from fulian.accounts.demo import DEMO_PASSWORD, demo_accounts
from fulian.accounts.models import User
from fulian.activities.demo_organise import demo_organise
from fulian.activities.demo_outcomes import demo_outcomes
from fulian.awards.demo import demo_awards
from fulian.care.demo import demo_care
from fulian.cases.demo import demo_cases
from fulian.consultations.demo import demo_consultations
from fulian.contacts.demo import demo_contacts, demo_field_weeks
from fulian.core.policy import needs_second_factor
from fulian.demo.building import demo_building
from fulian.evaluation.demo import demo_survey
from fulian.funding.demo import demo_funding
from fulian.incidents.demo import demo_incidents
from fulian.meetings.demo import demo_meetings
from fulian.orgs.demo import demo_staff, demo_tree
from fulian.orgs.models import Unit
from fulian.people.demo import demo_women
from fulian.people.demo_families import demo_families
from fulian.people.models import Woman
from fulian.portal.demo import demo_articles, demo_practices
from fulian.supervision.demo import demo_supervision
from fulian.work.demo import demo_priorities, demo_work
from fulian.work.models import Task


class Command(BaseCommand):
    help = "Build the demo (河北 and 黑龙江 with cadres at every level), deterministically; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        started = time.perf_counter()
        if Unit.objects.filter(code="130000000000").exists():
            self.stdout.write("demo tree already loaded")
        else:
            figures = demo_tree()
            self.stdout.write(
                f"demo tree: {Unit.objects.count()} units, {figures['villages_converted']} villages converted, "
                f"{figures['organisations']} women's organisations"
            )
        accounts = demo_accounts()
        if not Woman.objects.exists():
            self._contact_network()
        if not Task.objects.exists():
            self._work_network()
        self._work_network_2()  # each part safe to run twice: a demo made before them gets them too
        self._activities()
        self._awards()
        self._care()
        self._funding()
        self._consultations()
        self.stdout.write(f"ready in {time.perf_counter() - started:.0f}s\n")
        self.stdout.write(self.style.SUCCESS(f"fulian demo: {url}/"))
        self.stdout.write(f"API docs: {url}/api/v1/docs   data maintenance: {url}/admin/")
        self.stdout.write("logins (username / password — unit, roles):")
        for user, password in accounts:
            factor = " *" if needs_second_factor(user) else ""
            self.stdout.write(
                f"  {user.username:<16} {password}   {user.unit.name} ({user.unit.get_level_display()}), "
                f"{'、'.join(user.role_labels)}{factor}"
            )
        self.stdout.write("  * enrols a second factor at first sign-in: choose 短信验证码 — in this demo the code is "
                          "printed in this console (OTP_ECHO) — or an authenticator app")

    def _contact_network(self):
        today = timezone.localdate()
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        zhengding = Unit.objects.get(code="130123000000")
        xingtang = Unit.objects.get(code="130125000000")
        made = demo_women(actor=users["hb-county"], county=zhengding, per_village=30, seed=1, today=today)
        made_other = demo_women(actor=users["hb-other-county"], county=xingtang, per_village=8, seed=2, today=today)
        village = Unit.objects.get(code="130123100001")
        contacts = demo_contacts(chair=users["hb-county"], cadres=[users["hb-village"], users["hb-village-2"]],
                                 unit=village, seed=3, today=today)
        answered = demo_survey(actor=users["hb-province"], province=Unit.objects.get(code="130000000000"),
                               counties=[zhengding, xingtang], per_village=6, seed=4)
        self.stdout.write(f"demo survey: {answered['responses']} answers to the standard four-rate questionnaire")
        published = demo_articles(author=users["hb-admin"], reviewer=users["hb-province"])
        self.stdout.write(f"demo portal: {published} published pieces (notices, bulletin, practice, policies)")
        built = demo_building(actor=users["hb-province"])
        self.stdout.write(f"demo organisation building: {built['elections']} township elections, "
                          f"{built['members']} members of 石家庄市's township executive committees")
        cases = demo_cases(county=zhengding, village=village, chair=users["hb-county"],
                           village_chair=users["hb-village-chair"])
        self.stdout.write(f"demo cases: {cases['cases']} in 恒东社区 (tracking code of the newest: "
                          f"{cases['waiting']}), {cases['partners']} partners; public help form: /help/")
        self.stdout.write(
            f"demo women: {made['created_count'] + made_other['created_count']} registered, "
            f"{contacts['assigned']} assigned in 恒东社区 with {contacts['contact_logs']} contacts"
        )

    def _work_network(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        work = demo_work(province=Unit.objects.get(code="130000000000"), users=users)
        self.stdout.write(
            f"demo tasks: 河北省 sent “{work['task']}” to {work['counties']} counties (8 of its 10 report fields "
            f"filled by the system); {work['reported']} counties reported, 正定县 passed it to {work['delegated']} "
            f"townships ({work['townships_reported']} reported); county cadres {', '.join(work['cadres'])}; "
            f"burden meter: {work['entries']} timed forms (/burden/)"
        )

    def _work_network_2(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        zhengding = Unit.objects.get(code="130123000000")
        staff = demo_staff(actor=users["hb-province"], users=users, county=zhengding)
        priorities = demo_priorities(users=users)
        weeks = demo_field_weeks(chair=users["hb-county"], county=zhengding, today=timezone.localdate())
        if priorities["sets"] or staff["staff"] or weeks["held"]:
            self.stdout.write(
                f"demo rhythm: {priorities['sets']} sets of {priorities['year']} 工作重点 (/priorities/), "
                f"{staff['staff']} named staff of {'、'.join(staff['units'])}, {weeks['held']} field weeks held and "
                f"{weeks['missing']} townships missing one (/field-weeks/check/)"
            )
        supervision = demo_supervision(users=users)
        meetings = demo_meetings(users=users)
        self.stdout.write(
            f"demo supervision: team “{supervision['team'].name}” of 石家庄市 with {supervision['visits']} visits "
            f"(/supervision/); meetings: 正定县's decision tasked to {meetings['recipients']} townships (/meetings/)"
        )
        incidents = demo_incidents(county=zhengding, village=Unit.objects.get(code="130123100001"), users=users)
        practices = demo_practices(users=users)
        made = (f"{incidents['incidents']} in 正定县, {incidents['published']} statement published, "
                f"{incidents['awaiting']} awaiting review" if incidents["incidents"] else "already loaded")
        self.stdout.write(
            f"demo incidents: {made} (/incidents/); practices: one published on the portal "
            f"(/news/{practices['article']}/), one waiting at {practices['waiting_at']} (/practices/)"
        )

    def _activities(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        families = demo_families(users=users)
        organised = demo_organise(users=users)
        outcomes = demo_outcomes(users=users)
        if organised.get("created"):
            self.stdout.write(
                f"demo activities: 正定县's brand project 龙妹家政 with trainings (/activities/), the province's "
                f"campaign 家风讲坛进万家, sign-ups and check-ins; {outcomes['completions']} completions with "
                f"certificates, {outcomes['outcomes']} outcomes; {families['families']} families (/families/); "
                f"public calendar: /calendar/"
            )

    def _awards(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        made = demo_awards(users=users)
        if made.get("created"):
            current = made["current"]
            self.stdout.write(
                f"demo family awards (/awards/): 正定县's 美丽庭院 of last year awarded with certificates and story "
                f"relays (public: /honour/{made['courtyard']['campaign']}/showcase/); 石家庄市's 最美家庭 mid-way, "
                f"reviewed in 正定县, in 公示 with an objection (/honour/{current['campaign']}/notice/)"
            )

    def _care(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        made = demo_care(users=users, need_id=_care_need(users["hb-village"]))
        if made.get("created"):
            self.stdout.write(
                f"demo care (/care/): {made['women']} women of 正定县 in care groups ({made['ended']} of their "
                f"memberships ended, so a past date counts more), {made['children']} children of 恒东社区 with their "
                f"mothers' consent (/care/children/), {made['plans']} help plans — one from a need hb-village "
                f"recorded on a visit — with {made['help']} help records (/care/plans/), {made['resources']} "
                f"resources: 正定县's training seats and volunteer tutoring, a township job, a province-wide "
                f"micro-loan, a Beijing job under 京津冀妇女发展协作 (/care/resources/; its publisher logs in as "
                f"{made['beijing_user']}); "
                f"{made['offers']} offers; a proposed batch for 正定县 matching {made['batch_matched']} of "
                f"{made['batch_needs']} employment needs (/care/batches/{made['batch']}/)"
            )

    def _funding(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        made = demo_funding(users=users, **_funding_links(users))
        if made.get("created"):
            self.stdout.write(
                f"demo funding (/funding/): 河北省 allocated {made['year']}年基层妇联工作经费 "
                f"{made['amount']:,} yuan per head of its cities' population to {made['cities']} cities (at least "
                f"40 % to reach villages) and paid them; 石家庄市 kept a tenth and split the rest among "
                f"{made['counties']} counties by their villages; 正定县 cascaded to its {made['villages']} villages "
                f"through {made['townships']} townships ({made['townships_paid']} paid on, the others not yet); "
                f"{made['villages_confirmed']} villages confirmed receipt; {made['expenses']} expenses "
                f"({made['warnings']} over what was received: the warning), a grant from the county finance, "
                f"{made['corrections']} correction; log in as hb-province, hb-city, hb-county or hb-village-chair "
                f"(password {DEMO_PASSWORD})"
            )

    def _consultations(self):
        users = {u.username: u for u in User.objects.filter(username__startswith="hb-")}
        made = demo_consultations(users=users)
        if made.get("created"):
            self.stdout.write(
                f"demo consultations (/consultations/, the portal's /consult/): 恒东社区's residents' convention open "
                f"for comment ({made['comments']} comments in all, reviewed before shown — one waiting), a village "
                f"rule decided article by article with its final text published, 正定县's work plan for its "
                f"executive committee, put to its {made.get('inquiry_units', 0)} villages as well "
                f"({made.get('inquiry_answers', 0)} answered, /inquiries/), and {made['proposals']} proposals with "
                f"the registry's figures as evidence (/proposals/; the adopted one on /consult/proposals/); log in "
                f"as hb-village-chair or hb-county (password {DEMO_PASSWORD})"
            )


def _funding_links(users) -> dict:
    """What the funding demo links its expenses to: 正定县's first 龙妹家政 training and a help plan of 恒东社区."""
    from fulian.activities.models import Activity
    from fulian.care.models import HelpPlan

    county, village = users["hb-county"].unit, users["hb-village-chair"].unit
    activity = Activity.objects.filter(unit=county, title__startswith="龙妹家政").order_by("starts_at", "pk").first()
    plan = HelpPlan.objects.filter(unit_path=village.path).order_by("pk").first()
    return {"activity_id": activity.pk if activity else None, "help_plan_id": plan.pk if plan else None}


def _care_need(cadre) -> int | None:
    """An open employment need hb-village recorded on a visit to one of her women (recorded now if her visits found
    none), for the care demo to open a help plan with."""
    from fulian.contacts.models import Need
    from fulian.contacts.services import contact_log_create

    need = Need.objects.filter(contact_log__cadre=cadre, status="open", category="employment").order_by("pk").first()
    if need is not None:
        return need.pk
    woman = Woman.objects.filter(assignments__cadre=cadre, assignments__ended_on__isnull=True).order_by("pk").first()
    if woman is None:
        return None
    today = timezone.localdate()
    log = contact_log_create(actor=cadre, woman=woman, contacted_on=today - dt.timedelta(days=3), today=today,
                             channel="home_visit", views="一个人带孩子，想找份离家近的工作",
                             needs=[("employment", "希望就近就业，方便接送孩子")], client_token="demo-care-visit")  # noqa: S106
    return log.needs.order_by("pk").first().pk
