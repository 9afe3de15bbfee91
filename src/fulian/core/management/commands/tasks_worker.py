import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

from fulian.core.imports import import_jobs_recover

logger = logging.getLogger("fulian.worker")


class Command(BaseCommand):
    help = ("Run background tasks (imports) with the database backend, and keep running when the database restarts: "
            "db_worker is started again after a growing pause (1 s … 60 s). Run it under a supervisor (README).")

    def add_arguments(self, parser):
        parser.add_argument("--max-restarts", type=int, default=None, help="stop after this many (tests)")

    def handle(self, *args, max_restarts, **options):
        restarts, pause = 0, 1.0
        while True:
            started = time.monotonic()
            try:
                import_jobs_recover()  # imports a killed worker left "running" are marked, ready to retry
                call_command("db_worker", interval=1)
                return
            except (OperationalError, InterfaceError) as exc:
                restarts += 1
                if time.monotonic() - started > 120:
                    pause = 1.0  # it ran a good while: start the back-off again
                logger.warning("database unreachable (%s); worker restarts in %.0f s", exc, pause)
                for connection in connections.all():
                    connection.close()
                if max_restarts is not None and restarts > max_restarts:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 60.0)
