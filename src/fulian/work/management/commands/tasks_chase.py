from django.core.management.base import BaseCommand

from fulian.work.services import tasks_chase


class Command(BaseCommand):
    help = ("Remind every unit whose task deadline has passed and which has not done it (once a day however often "
            "it runs) and count it once as overdue. Run it every hour from cron.")

    def handle(self, *args, **options):
        counts = tasks_chase()
        self.stdout.write(f"tasks: reminded {counts['chased']}, newly overdue {counts['overdue']}")
