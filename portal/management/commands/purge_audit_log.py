"""Remove audit entries older than the retention period (AUDIT_RETENTION_DAYS, at least 180).

    DATABASE_URL=$DATABASE_MIGRATE_URL python manage.py purge_audit_log --before 2026-01-01

Runs as the database owner: the application's role holds no DELETE on the log. Anything younger
than the retention period is refused here, and a database trigger refuses anything younger than
180 days whoever asks. The chain stays verifiable: the purge records where it now starts.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from portal import audit_chain


class Command(BaseCommand):
    help = "Delete audit entries older than the retention period (owner connection only)."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, type=datetime.date.fromisoformat)

    def handle(self, *args, before, **options):
        cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
        oldest_allowed = timezone.now() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        if cutoff > oldest_allowed:
            raise CommandError(
                f"refused: entries are kept {settings.AUDIT_RETENTION_DAYS} days; "
                f"--before must be {oldest_allowed.date()} or earlier"
            )
        audit_chain.seal_pending()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL portal.audit_purge = 'on'")
            removed = audit_chain.purge_before(cutoff)
        self.stdout.write(f"purged {removed} entries older than {before}")
