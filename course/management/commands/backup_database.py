"""Back up the database (SQLite's online backup, or pg_dump): course.backups."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from course.backups import BackupError, database_backup


class Command(BaseCommand):
    help = "Write a consistent backup of the database to a new file, while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to write (it must not exist)")

    def handle(self, *args, path: Path, **options):
        try:
            kind = database_backup(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{kind}: {path} ({path.stat().st_size:,} bytes)")
