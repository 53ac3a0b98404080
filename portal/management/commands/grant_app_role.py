"""Create or update the application's database role and grant it what the portal needs —
and no more (see portal/db_roles.py). Run as the owner, after every ``migrate``:

    DATABASE_URL=$DATABASE_MIGRATE_URL python manage.py migrate
    DATABASE_URL=$DATABASE_MIGRATE_URL python manage.py grant_app_role integrity_app \\
        --password-env POSTGRES_APP_PASSWORD
"""

import os
import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from portal import db_roles


class Command(BaseCommand):
    help = "Create/update the non-owner database role the application connects as."

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--password-env", help="environment variable holding its password")

    def handle(self, *args, role, password_env, **options):
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
            raise CommandError("role: lower-case letters, digits and _ only")
        if role == connection.settings_dict["USER"]:
            raise CommandError("the application role must not be the owner migrations run as")
        password = os.environ.get(password_env) if password_env else None
        if password_env and not password:
            raise CommandError(f"{password_env} is empty")
        with transaction.atomic():
            db_roles.ensure_role(role, password)
            db_roles.grant(role)
        self.stdout.write(f"role {role}: data read/write, history tables append-only, owns nothing")
