from django.core.management.base import BaseCommand

from fulian.activities.campaigns import campaigns_chase


class Command(BaseCommand):
    help = ("Remind every unit whose part of a theme campaign is past its deadline and not done (once a day however "
            "often it runs), linking to the campaign. Run it every hour from cron.")

    def handle(self, *args, **options):
        counts = campaigns_chase()
        self.stdout.write(f"campaigns: reminded {counts['chased']}, newly overdue {counts['overdue']}")
