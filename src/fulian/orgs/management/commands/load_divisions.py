import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fulian.orgs.divisions import DEFAULT_FILE, divisions_load, divisions_read


class Command(BaseCommand):
    help = (
        "Load China's statistical divisions into the federation tree: chosen provinces (e.g. 13 23) or --all. "
        "Run again with a newer edition (--file) to add, rename and retire units; units with data are flagged."
    )

    def add_arguments(self, parser):
        parser.add_argument("provinces", nargs="*", help="2-digit province codes, e.g. 13 (河北) 23 (黑龙江)")
        parser.add_argument("--all", action="store_true", help="every province")
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="division file (.tsv or .tsv.xz)")
        parser.add_argument("--show", type=int, default=20, help="how many changed codes to list per kind")

    def handle(self, *args, provinces, all, file, show, **options):
        if not provinces and not all:
            raise CommandError("name provinces (e.g. 13 23) or pass --all")
        bad = [p for p in provinces if not (len(p) == 2 and p.isascii() and p.isdigit())]
        if bad:
            raise CommandError(f"province codes are 2 digits: {' '.join(bad)}")
        started = time.perf_counter()
        divisions = divisions_read(file, provinces=None if all else provinces)
        if not divisions:
            raise CommandError("no divisions matched")
        report = divisions_load(divisions=divisions, scope=None if all else provinces)
        seconds = time.perf_counter() - started
        s = report.summary()
        self.stdout.write(
            f"divisions: {len(divisions)} in file; added {s['added']}, renamed {s['renamed']}, "
            f"removed {s['removed']}, flagged (kept, data attached) {s['flagged']}, unchanged {s['unchanged']} "
            f"in {seconds:.1f}s"
        )
        for code, old, new in report.renamed[:show]:
            self.stdout.write(f"  renamed {code}: {old} → {new}")
        for code in report.removed[:show]:
            self.stdout.write(f"  removed {code}")
        for code in report.flagged[:show]:
            self.stdout.write(f"  flagged {code}")
