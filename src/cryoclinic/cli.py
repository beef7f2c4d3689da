"""The `cryoclinic` command: `cryoclinic dose …` for the freeze-dose engine, anything else goes to Django."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "dose":
        from cryoclinic.dosimetry.cli import main as dose_main

        return dose_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cryoclinic.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cryoclinic", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
