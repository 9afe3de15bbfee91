import logging
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

from fulian.core.sealing import seal_all

logger = logging.getLogger("fulian.audit")


class Command(BaseCommand):
    help = ("Chain the audit and read-log rows committed since the last seal (run every minute by the scheduler); "
            "--loop keeps running, through database restarts.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, loop, interval, **options):
        pause = interval
        while True:
            try:
                added = seal_all()
            except (OperationalError, InterfaceError) as exc:
                if not loop:
                    raise
                logger.warning("database unreachable (%s); retrying in %.0f s", exc, pause)
                for connection in connections.all():
                    connection.close()
                time.sleep(pause)
                pause = min(pause * 2, 300.0)
                continue
            pause = interval
            if added or not loop:
                self.stdout.write(f"audit seal: {added} link(s) added")
            if not loop:
                return
            time.sleep(interval)
