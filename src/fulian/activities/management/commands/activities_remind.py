import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fulian.activities.signups import signups_remind


class Command(BaseCommand):
    help = ("The day before: every confirmed sign-up of an activity session starting 24–48 hours from now gets one "
            "SMS through the outbox (once per session day, however often this runs). Run it every hour from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--now", help="the moment to remind as of (ISO, e.g. 2026-03-07T09:00+08:00)")

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"bad --now: {exc}") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        counts = signups_remind(now=now)
        self.stdout.write(f"activities: {counts['sessions']} sessions starting in 24–48 h, "
                          f"{counts['reminded']} reminded now")
