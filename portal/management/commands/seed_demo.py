from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import STEPS


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）。"

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith("production"):
            raise CommandError(
                "seed_demo creates demo accounts with known passwords: not in production."
            )
        for step in STEPS:
            with transaction.atomic():
                step.run(self.stdout.write)
