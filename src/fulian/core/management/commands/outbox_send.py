import logging

from django.core.management.base import BaseCommand

from fulian.core.loops import run_every
from fulian.core.outbox import outbox_send

logger = logging.getLogger("fulian.outbox")


class Command(BaseCommand):
    help = ("Send due notifications from the outbox (in-app, e-mail, SMS, WeChat); --loop keeps running, through "
            "database restarts (it waits and reconnects).")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop, interval, **options):
        def report(counts, looping):
            if counts["sent"] or counts["failed"] or not looping:
                self.stdout.write(f"outbox: sent {counts['sent']}, failed {counts['failed']}")

        run_every(outbox_send, loop=loop, interval=interval, longest=60.0, logger=logger, report=report)
