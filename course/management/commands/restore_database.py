"""Restore a backup made by backup_database into an empty database: course.backups."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from course.backups import BackupError, database_restore


class Command(BaseCommand):
    help = "Restore a backup (from backup_database) into this database, which must be empty."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file")

    def handle(self, *args, path: Path, **options):
        try:
            kind = database_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{kind} from {path}")
