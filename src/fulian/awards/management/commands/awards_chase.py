from django.core.management.base import BaseCommand

from fulian.awards.campaigns import campaigns_chase


class Command(BaseCommand):
    help = ("Remind every unit whose part of a family-award campaign is past its review deadline and not done (once a "
            "day however often it runs), linking to its part. Run it every hour from cron.")

    def handle(self, *args, **options):
        counts = campaigns_chase()
        self.stdout.write(f"award campaigns: reminded {counts['chased']}, newly overdue {counts['overdue']}")
