import time

from django.core.management.base import BaseCommand

from fulian.evaluation.recount import recount


class Command(BaseCommand):
    help = ("Rebuild every live figure (Tally) from the records; report differences, and with --fix replace "
            "the stored figures. Run it after restoring a backup, or from cron weekly as a check.")

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="write the recounted figures")
        parser.add_argument("--show", type=int, default=20)

    def handle(self, *args, fix, show, **options):
        started = time.perf_counter()
        report = recount(fix=fix)
        seconds = time.perf_counter() - started
        self.stdout.write(f"figures: {report.rows} counted, {len(report.differences)} differ"
                          f"{' (fixed)' if report.fixed else ''}, in {seconds:.1f}s")
        for unit_id, period, metric, have, want in report.differences[:show]:
            self.stdout.write(f"  unit {unit_id} {period} {metric}: stored {have}, records say {want}")
        if report.differences and not fix:
            raise SystemExit(1)
