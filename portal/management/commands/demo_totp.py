"""Print the code a demo account's authenticator would show now (demo and tests only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo.two_factor import sign_in_code
from portal.models import User


class Command(BaseCommand):
    help = "Print a second-factor code that signs the given demo user in now."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp runs only with DEBUG on (a local demo).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        self.stdout.write(sign_in_code(user))
