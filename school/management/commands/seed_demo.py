"""`manage.py seed_demo`: the demo school (see README.md for its logins)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from school.demo import DEMO_PASSWORD
from school.demo.build import DemoDataError, demo_school_build
from school.demo.shape import DEFAULT_PUPILS, DEFAULT_SEED


class Command(BaseCommand):
    help = (
        "Build a demo school with pupils, staff, guardians and demo logins (password "
        f"{DEMO_PASSWORD}). Does nothing if it is already there, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pupils", type=int, default=DEFAULT_PUPILS, help="pupils per school (default 300)"
        )
        parser.add_argument(
            "--schools", type=int, default=1, help="schools of the trust to build (default 1)"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (default 2026)"
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo data first and rebuild it"
        )
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="processes building a trust's schools side by side on PostgreSQL (default: "
            "one per CPU; 1 builds them one at a time in one transaction)",
        )

    def handle(self, *args, pupils, schools, seed, reset, force, jobs, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this may be a production database: the demo logins share "
                f"the published password {DEMO_PASSWORD!r}. Pass --force to seed it anyway."
            )
        try:
            demo_school_build(
                pupils=pupils,
                schools=schools,
                seed=seed,
                reset=reset,
                stdout=self.stdout,
                jobs=jobs,
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        except ProtectedError as error:
            blocking = sorted(
                {str(obj._meta.verbose_name_plural) for obj in error.protected_objects}
            )
            raise CommandError(
                "Cannot delete the old demo data: other records still point at it "
                f"({', '.join(blocking)}). Nothing was changed."
            ) from error
