import time

from django.core.management.base import BaseCommand

from fulian.accounts.demo import demo_accounts
from fulian.orgs.demo import demo_tree
from fulian.orgs.models import Unit


class Command(BaseCommand):
    help = "Build the demo (河北 and 黑龙江 with cadres at every level), deterministically; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        started = time.perf_counter()
        if Unit.objects.filter(code="130000000000").exists():
            self.stdout.write("demo tree already loaded")
        else:
            figures = demo_tree()
            self.stdout.write(
                f"demo tree: {Unit.objects.count()} units, {figures['villages_converted']} villages converted, "
                f"{figures['organisations']} women's organisations"
            )
        accounts = demo_accounts()
        self.stdout.write(f"ready in {time.perf_counter() - started:.0f}s\n")
        self.stdout.write(self.style.SUCCESS(f"fulian demo: {url}/"))
        self.stdout.write(f"API docs: {url}/api/v1/docs   data maintenance: {url}/admin/")
        self.stdout.write("logins (username / password — unit, roles):")
        for user, password in accounts:
            self.stdout.write(
                f"  {user.username:<16} {password}   {user.unit.name} ({user.unit.get_level_display()}), "
                f"{'、'.join(user.role_labels)}"
            )
