import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fulian.accounts.services import account_create
from fulian.core.policy import Role
from fulian.orgs.models import Unit


class Command(BaseCommand):
    help = "Create a cadre account, e.g. the first system administrator of a province."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--unit", required=True, help="unit code, e.g. 130000000000 for 河北省")
        parser.add_argument("--role", action="append", choices=Role.values, required=True, dest="roles")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password-env", default="FULIAN_NEW_PASSWORD",
                            help="environment variable holding the password (kept off the command line)")

    def handle(self, *args, username, unit, roles, name, password_env, **options):
        password = os.environ.get(password_env)
        if not password:
            raise CommandError(f"set the password in ${password_env}")
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"no unit with code {unit}")
        try:
            user = account_create(actor=None, username=username, unit=target, roles=roles, password=password,
                                  full_name=name)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"created {user.username} in {target.name} ({', '.join(user.roles)})")
