import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fulian.contacts.services import CHECK_LEVELS, field_weeks_check


class Command(BaseCommand):
    help = ("双月下基层工作周: remind every city, county and township federation that held no field week in the "
            "two-month window just ended (once per unit and window, however often it runs). Run it from cron on the "
            "first days of Jan, Mar, May, Jul, Sep and Nov (e.g. `0 8 1-3 1,3,5,7,9,11 *`).")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to check as of (YYYY-MM-DD); the window before it is checked")
        parser.add_argument("--levels", default=",".join(str(lv) for lv in CHECK_LEVELS),
                            help="levels to check, e.g. 2,3,4 (1 province … 5 village)")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
            levels = sorted({int(x) for x in options["levels"].split(",") if x.strip()})
        except ValueError as exc:
            raise CommandError(f"bad --today or --levels: {exc}") from None
        if not levels or not set(levels) <= {1, 2, 3, 4, 5}:
            raise CommandError("--levels are 1 to 5")
        counts = field_weeks_check(today=today, levels=levels)
        self.stdout.write(f"field weeks {counts['window']}: {counts['missing']} units held none, "
                          f"{counts['reminded']} reminded now")
