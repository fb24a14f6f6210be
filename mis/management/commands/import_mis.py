"""`manage.py import_mis`: the nightly sync by hand (mis/nightly.py says what it does with
a folder; README "Importing from the MIS" documents the folder and the file names)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from school.models import School

from ...nightly import FolderResult, folder_import, folders_import


class Command(BaseCommand):
    help = (
        "Import the files a school's MIS exported into its folder (each file's name starts "
        "with its kind, e.g. staff.csv, ctf_pupils.xml), as an upload would, applying each "
        "file without errors; move them to done/ or failed/ and email the school's admins."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--school", help="the school's slug")
        which.add_argument(
            "--all",
            action="store_true",
            help="every school with a folder named after its slug under MIS_IMPORT_ROOT",
        )
        parser.add_argument(
            "--folder",
            help="the folder to read (with --school; default MIS_IMPORT_ROOT/<slug>)",
        )
        parser.add_argument(
            "--no-email", action="store_true", help="do not email the school's admins"
        )

    def handle(self, *args, school, all, folder, no_email, **options):
        root = settings.MIS_IMPORT_ROOT
        if all:
            if folder:
                raise CommandError("--folder goes with --school: --all reads MIS_IMPORT_ROOT.")
            if not root or not Path(root).is_dir():
                raise CommandError(f"MIS_IMPORT_ROOT ({root or 'not set'}) is not a folder.")
            results = folders_import(root=Path(root), email=not no_email)
            if not results:
                self.stdout.write(f"No folder under {root} is named after a school.")
        else:
            found = School.objects.filter(slug=school).first()
            if found is None:
                raise CommandError(f"No school has the slug {school!r}.")
            if not folder and not root:
                raise CommandError("Give --folder, or set MIS_IMPORT_ROOT.")
            path = Path(folder) if folder else Path(root) / found.slug
            if not path.is_dir():
                raise CommandError(f"{path} is not a folder.")
            results = [folder_import(school=found, folder=path, email=not no_email)]
        for result in results:
            self._report(result, emailing=not no_email)

    def _report(self, result: FolderResult, *, emailing: bool) -> None:
        where = f"{result.school.slug} ({result.folder})"
        if result.busy:
            self.stderr.write(f"{where}: another import of this folder is running; skipped.")
            return
        if not result.files:
            self.stdout.write(f"{where}: no files waiting.")
            return
        self.stdout.write(f"{where}:")
        for outcome in result.files:
            line = f"  {outcome.file_name}: {outcome.summary}"
            self.stdout.write(self.style.SUCCESS(line) if outcome.applied else line)
        if result.emailed:
            self.stdout.write(f"  Summary emailed to {', '.join(result.emailed)}.")
        elif emailing:
            self.stdout.write("  No summary emailed (no school admin with an email address).")
