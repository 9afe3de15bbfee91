from django.core.management.base import BaseCommand

from fulian.core.imports import import_files_purge


class Command(BaseCommand):
    help = "Delete uploaded rosters and their error reports older than IMPORT_RETENTION_DAYS (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="retention in days (default: the setting)")

    def handle(self, *args, days, **options):
        self.stdout.write(f"imports: files of {import_files_purge(days=days)} jobs deleted")
