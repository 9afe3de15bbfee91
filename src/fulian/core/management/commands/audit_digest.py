import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fulian.core.sealing import seal_digest


class Command(BaseCommand):
    help = ("Print (or write to --output) the daily digest of the audit chain — the day's last link and its hash — "
            "for keeping off-site; `audit_verify --digest FILE` later proves nothing before it changed. Default: "
            "yesterday (local time).")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (local)")
        parser.add_argument("--output", metavar="FILE")

    def handle(self, *args, date, output, **options):
        try:
            day = dt.date.fromisoformat(date) if date else timezone.localdate() - dt.timedelta(days=1)
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        text = json.dumps(seal_digest(day), ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
        else:
            self.stdout.write(text)
