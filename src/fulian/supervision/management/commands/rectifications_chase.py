from django.core.management.base import BaseCommand

from fulian.supervision.services import rectifications_chase


class Command(BaseCommand):
    help = ("Remind every visited unit whose rectification item is past its deadline and not done (once a day "
            "however often it runs), linking to the item. Run it every hour from cron.")

    def handle(self, *args, **options):
        counts = rectifications_chase()
        self.stdout.write(f"rectifications: reminded {counts['chased']}, newly overdue {counts['overdue']}")
