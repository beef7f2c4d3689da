from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace every row with those of a backup written by `backup`; all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm that the current data is replaced")

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        if not yes:
            raise CommandError("Restoring replaces all current data; run again with --yes to confirm.")
        try:
            summary = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {summary.rows} rows of {summary.models} models from {path}")
