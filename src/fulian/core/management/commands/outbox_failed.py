from django.core.management.base import BaseCommand

from fulian.core.models import Outbox
from fulian.core.outbox import outbox_requeue


class Command(BaseCommand):
    help = "List the messages the outbox gave up on (and expired ones); --requeue [ID …] tries them again."

    def add_arguments(self, parser):
        parser.add_argument("--requeue", nargs="*", type=int, default=None, help="all failed, or these ids")

    def handle(self, *args, requeue, **options):
        if requeue is not None:
            self.stdout.write(f"outbox: {outbox_requeue(message_ids=requeue)} messages queued again")
            return
        for message in Outbox.objects.filter(status__in=["failed", "expired"]).order_by("-id")[:200]:
            self.stdout.write(f"{message.pk}\t{message.status}\t{message.channel}\t{message.attempts}\t"
                              f"{message.created_at:%Y-%m-%d %H:%M}\t{message.last_error}")
