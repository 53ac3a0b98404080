"""Create one of the three administrator accounts (三权分立). Run by the operator on the
server: administrator accounts are never made through the web pages, so no administrator can
grant himself another administrator's power.

    python manage.py create_administrator --role auditadmin --username audit01 --email a@x.cn

The password is generated, printed once, and must be changed at the first sign-in.
"""

from django.core.management.base import BaseCommand, CommandError

from portal.models import ADMIN_ROLES, User
from portal.user_admin import temporary_password


class Command(BaseCommand):
    help = "Create a system, security or audit administrator account (password printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=[r.value for r in ADMIN_ROLES])
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="")

    def handle(self, *args, role, username, email, name, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} exists; an account holds one role only")
        password = temporary_password()
        user = User(username=username, email=email, role=role, display_name=name)
        user.full_clean(exclude=["password"])
        user.set_password(password)
        user.must_change_password = True
        user.save()
        self.stdout.write(f"{username} ({user.get_role_display()}) password: {password}")
