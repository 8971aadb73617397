"""Write a course from the database back into its content folder (see DESIGN.md).

    python manage.py export_course flask-and-django /tmp/flask-and-django
    python manage.py export_course flask-and-django lessons/content/flask-and-django --force

The inverse of import_course: exporting what was imported gives the same files, byte for
byte; content edited in the browser since is written as fresh front matter.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.course_export import ExportError, FolderNotEmpty, course_export
from lessons.models import Course


class Command(BaseCommand):
    help = "Write a course's content folder (the inverse of import_course), drafts included."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("course", help="the course's slug, e.g. flask-and-django")
        parser.add_argument("folder", type=Path, help="the course folder to write, new or empty")
        parser.add_argument(
            "--force",
            action="store_true",
            help="write into a folder that is not empty: the course's files replace the ones there; "
            "other files are left in place and listed, never deleted",
        )

    def handle(self, *args, course: str, folder: Path, force: bool, **options) -> None:
        found = Course.objects.filter(slug=course).first()
        if found is None:
            known = ", ".join(Course.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"no course named {course!r} (courses: {known})")
        try:
            export = course_export(course=found, folder=folder, force=force)
        except FolderNotEmpty as exc:
            raise CommandError(
                f"{exc}: export into a new or empty folder, or pass --force to overwrite the course's "
                "files there (other files are left in place)"
            ) from None
        except ExportError as exc:
            raise CommandError(f"{found.slug}: {exc}") from None
        if options["verbosity"] >= 2:
            for path in export.changed:
                self.stdout.write(f"  wrote {path}")
        for path in export.left:
            self.stderr.write(self.style.WARNING(f"  left in place, not part of the course: {path}"))
        for warning in export.warnings:
            self.stderr.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{found.title}: {len(export.written)} files in {export.folder}, "
                + (f"{len(export.changed)} written" if export.changed else "already up to date")
            )
        )
