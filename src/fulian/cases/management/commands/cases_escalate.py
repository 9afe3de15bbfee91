from django.core.management.base import BaseCommand

from fulian.cases.services import case_escalate_overdue


class Command(BaseCommand):
    help = ("Escalate cases whose first action is overdue to the parent unit (again each time a new deadline "
            "passes, up to the province) and chase unconfirmed referrals. Run it every 15 minutes from cron.")

    def handle(self, *args, **options):
        counts = case_escalate_overdue()
        self.stdout.write(f"cases: escalated {counts['escalated']}, referrals chased {counts['chased']}")
