import logging

from django.core.management.base import BaseCommand

from fulian.core.loops import run_every
from fulian.core.sealing import seal_all

logger = logging.getLogger("fulian.audit")


class Command(BaseCommand):
    help = ("Chain the audit and read-log rows committed since the last seal (run every minute by the scheduler); "
            "--loop keeps running, through database restarts.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, loop, interval, **options):
        def report(added, looping):
            if added or not looping:
                self.stdout.write(f"audit seal: {added} link(s) added")

        run_every(seal_all, loop=loop, interval=interval, longest=300.0, logger=logger, report=report)
