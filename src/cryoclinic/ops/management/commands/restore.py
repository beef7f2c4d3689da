from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.ops.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Replace every row and stored file with those of a backup written by `backup`; all or nothing. "
        "--verify proves the backup (key, checksums, every row) and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="confirm that the current data is replaced")
        parser.add_argument("--verify", action="store_true", help="only prove the backup restorable")

    def handle(self, *args: Any, path: Path, yes: bool, verify: bool, **options: Any) -> None:
        if verify and yes:
            raise CommandError("--verify changes nothing and --yes restores: give one of them.")
        if not verify and not yes:
            raise CommandError("Restoring replaces all current data; run again with --yes to confirm "
                               "(or --verify to check the backup without restoring).")
        try:
            summary = verify_backup(path) if verify else restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        what = "verified" if verify else "restored"
        self.stdout.write(
            f"{what} {summary.rows} rows of {summary.models} models and {summary.files} files "
            f"({summary.file_bytes} bytes) from {path}"
        )
        if summary.missing:
            self.stderr.write(f"WARNING: {len(summary.missing)} files were already missing when the backup was "
                              f"made: {', '.join(summary.missing[:10])}")
