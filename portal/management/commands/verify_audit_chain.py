"""Recompute the audit log's hash chain and report every entry that was altered or deleted.

    python manage.py verify_audit_chain          # exit status 1 if anything is wrong
    python manage.py verify_audit_chain --seal   # seal pending entries first (as beat does)

The last line prints the chain's head digest: copy it into the operations log now and then;
an attacker who removed the newest entries cannot make the head match a copy kept elsewhere.
"""

from django.core.management.base import BaseCommand, CommandError

from portal import audit_chain


class Command(BaseCommand):
    help = "Verify the hash chain over the audit log (tamper evidence)."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="seal pending entries first")

    def handle(self, *args, seal, **options):
        if seal:
            self.stdout.write(f"sealed {audit_chain.seal_pending()} pending entries")
        report = audit_chain.verify()
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"checked={report.checked} unsealed={report.unsealed} "
            f"problems={len(report.problems)} head={report.head}"
        )
        if not report.intact:
            raise CommandError("the audit log was altered: see the lines above")
