from django.core.management.base import BaseCommand

from fulian.incidents.services import incidents_chase


class Command(BaseCommand):
    help = ("Remind the reviewers and the unit's leaders of every incident whose first statement is due within two "
            "hours or late and not yet published (once per incident at each stage). Run it every 15 minutes.")

    def handle(self, *args, **options):
        counts = incidents_chase()
        self.stdout.write(f"incidents: reminded due soon {counts['due_soon']}, late {counts['late']}")
