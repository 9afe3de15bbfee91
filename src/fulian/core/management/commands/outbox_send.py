import time

from django.core.management.base import BaseCommand

from fulian.core.outbox import outbox_send


class Command(BaseCommand):
    help = "Send due notifications from the outbox (in-app, e-mail, SMS, WeChat); --loop keeps running."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, loop, interval, **options):
        while True:
            counts = outbox_send()
            if counts["sent"] or counts["failed"] or not loop:
                self.stdout.write(f"outbox: sent {counts['sent']}, failed {counts['failed']}")
            if not loop:
                return
            time.sleep(interval)
