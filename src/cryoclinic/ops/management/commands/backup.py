from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a consistent backup of every row to PATH (gzip'd JSON, restorable with `restore`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory.")
        try:
            summary = write_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"wrote {summary.rows} rows of {summary.models} models to {path}")
