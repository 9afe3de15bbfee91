import logging
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

from fulian.core.outbox import outbox_send

logger = logging.getLogger("fulian.outbox")


class Command(BaseCommand):
    help = ("Send due notifications from the outbox (in-app, e-mail, SMS, WeChat); --loop keeps running, through "
            "database restarts (it waits and reconnects).")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop, interval, **options):
        pause = interval
        while True:
            try:
                counts = outbox_send()
            except (OperationalError, InterfaceError) as exc:
                if not loop:
                    raise
                logger.warning("database unreachable (%s); retrying in %.0f s", exc, pause)
                for connection in connections.all():
                    connection.close()
                time.sleep(pause)
                pause = min(pause * 2, 60.0)
                continue
            pause = interval
            if counts["sent"] or counts["failed"] or not loop:
                self.stdout.write(f"outbox: sent {counts['sent']}, failed {counts['failed']}")
            if not loop:
                return
            time.sleep(interval)
