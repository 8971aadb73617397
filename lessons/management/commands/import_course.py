from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.course_folder import ContentError
from lessons.course_import import course_import


class Command(BaseCommand):
    help = "Sync a course folder (see DESIGN.md) into the database. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            course, changes = course_import(folder)
        except ContentError as exc:
            raise CommandError(str(exc)) from None
        if changes:
            for change in changes:
                self.stdout.write(f"  updated {change}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{course.title}: {course.lessons.filter(published=True).count()} lessons, "
                f"{course.exercises.filter(published=True).count()} exercises"
                + ("" if changes else " (already up to date)")
            )
        )
