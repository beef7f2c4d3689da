from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.ops.backup import BackupError, write_backup
from cryoclinic.ops.crypto import new_key as make_key


class Command(BaseCommand):
    help = (
        "Write one encrypted backup of every row and every stored file (treatment photos) to PATH, "
        "with checksums; restorable with `restore`. Needs BACKUP_KEY; `--new-key` prints a new one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, nargs="?")
        parser.add_argument("--new-key", action="store_true", help="print a new random BACKUP_KEY and exit")

    def handle(self, *args: Any, path: Path | None, new_key: bool, **options: Any) -> None:
        if new_key:
            self.stdout.write(make_key())
            return
        if path is None:
            raise CommandError("Name the backup file: manage.py backup PATH (or --new-key to make a key).")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory.")
        if path.is_dir():
            raise CommandError(f"{path}: is a directory; name a file.")
        try:
            summary = write_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"wrote {summary.rows} rows of {summary.models} models and {summary.files} files "
            f"({summary.file_bytes} bytes) to {path}, encrypted"
        )
        if summary.missing:
            self.stderr.write(
                f"WARNING: {len(summary.missing)} files named by rows were not in storage and are not in the "
                f"backup: {', '.join(summary.missing[:10])}"
            )
