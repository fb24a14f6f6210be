"""`manage.py notifications_after_restore`: run once after restoring a backup, before the
worker and beat start again (README: "Backup, restore and upgrade")."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.restore import notifications_hold

DEFAULT_HOURS = 1.0


class Command(BaseCommand):
    help = (
        "Hold every message to families that was waiting to be sent (or half-sent) when "
        "the restored backup was taken, so that none is sent twice: a person releases or "
        "discards each in the admin (Notifications, status 'Held after a restore')."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=DEFAULT_HOURS,
            metavar="HOURS",
            help=f"hold messages written more than HOURS ago (default {DEFAULT_HOURS:g}); "
            "0 holds every waiting message",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be held, change nothing"
        )

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than is a number of hours, 0 or more.")
        held = notifications_hold(older_than=datetime.timedelta(hours=older_than), dry_run=dry_run)
        cutoff = timezone.localtime(held.cutoff)
        verb = "Would hold" if dry_run else "Held"
        self.stdout.write(
            f"{verb} {held.count} message(s) written before {cutoff:%d/%m/%Y %H:%M} "
            f"({held.in_flight} caught mid-send)."
        )
        for school, count in sorted(held.by_school.items()):
            self.stdout.write(f"  {school}: {count}")
        if held.count and not dry_run:
            self.stdout.write(
                "Release (send) or discard them in the admin: Notifications, filtered by "
                "status 'Held after a restore'."
            )
