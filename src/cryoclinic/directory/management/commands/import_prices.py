import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.directory.importer import ImportError_, import_file
from cryoclinic.knowledge.services import UnknownProcedure


class Command(BaseCommand):
    help = (
        "Import a price table (the source's text layout, or CSV with city,name,address,price_rub,phone). "
        "All or nothing; running it twice changes nothing; ambiguous rows wait for review in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--procedure", default="facial-cryomassage", help="procedure slug the prices are for")
        parser.add_argument("--source", required=True, help="where the prices come from, e.g. seed#prices or a URL")
        parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD of the prices")

    def handle(self, *args: Any, path: Path, procedure: str, source: str, date: dt.date | None, **kw: Any) -> None:
        try:
            summary = import_file(path, procedure=procedure, source=source, date=date)
        except (ImportError_, UnknownProcedure) as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        self.stdout.write(
            f"{summary.rows} rows: {summary.prices_created} prices added, {summary.pending_created} pending review, "
            f"{summary.unchanged} unchanged"
        )
