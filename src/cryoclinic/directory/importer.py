"""Importing price tables: all or nothing, idempotent, ambiguous rows held for staff review."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cryoclinic.knowledge import services as knowledge

from .models import City, PendingRow, PriceEntry, Salon
from .parsing import ParseError, Row, Table, parse_csv, parse_text

DATA_DIR = Path(__file__).parent / "data"
SEED_PRICES = DATA_DIR / "seed_prices.txt"
SEED_SOURCE = "seed#prices"


class ImportError_(ValueError):
    """The file cannot be imported; the message names the line. Nothing was written."""


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    prices_created: int
    pending_created: int
    unchanged: int


def _city_names() -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = yaml.safe_load((DATA_DIR / "cities.yaml").read_text(encoding="utf-8"))
    return names


def city_for(name: str) -> City:
    slug = slugify(name)
    known = _city_names().get(slug, {})
    city, _ = City.objects.get_or_create(
        slug=slug, defaults={"name_en": known.get("en", name), "name_ru": known.get("ru", name)}
    )
    return city


def _write_price(row: Row, city: City, procedure: str, source: str, date: dt.date | None) -> bool:
    reading = row.readings[0]
    salon, _ = Salon.objects.get_or_create(
        city=city, name=row.name, address=reading.address, defaults={"phone": row.phone}
    )
    _, created = PriceEntry.objects.get_or_create(
        salon=salon,
        procedure=procedure,
        source=source,
        defaults={"amount_rub": reading.price_rub, "date": date},
    )
    return created


def import_table(table: Table, *, procedure: str, source: str, date: dt.date | None = None) -> ImportSummary:
    knowledge.get_procedure(procedure)  # raises UnknownProcedure naming the known ones
    prices = pending = unchanged = 0
    with transaction.atomic():
        for row in table.rows:
            city = city_for(row.city)
            if row.ambiguous:
                candidates = [{"address": r.address, "price_rub": r.price_rub} for r in row.readings]
                _, created = PendingRow.objects.get_or_create(
                    source=source,
                    raw=row.raw,
                    defaults={
                        "line": row.line,
                        "city": city,
                        "procedure": procedure,
                        "name": row.name,
                        "candidates": candidates,
                    },
                )
                pending += created
                unchanged += not created
            elif _write_price(row, city, procedure, source, date):
                prices += 1
            else:
                unchanged += 1
    return ImportSummary(len(table.rows), prices, pending, unchanged)


def import_file(path: Path, *, procedure: str, source: str, date: dt.date | None = None) -> ImportSummary:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    try:
        table = parse_csv(text) if path.suffix.lower() == ".csv" else parse_text(text)
    except ParseError as exc:
        raise ImportError_(f"{path.name}: {exc}") from exc
    return import_table(table, procedure=procedure, source=source, date=date)


@transaction.atomic
def confirm_pending(row: PendingRow, choice: int) -> Salon:
    """Staff picked reading number `choice` of an ambiguous row: create the salon and its price."""
    if row.resolved_at is not None:
        raise ValueError("this row is already confirmed")
    if not 0 <= choice < len(row.candidates):
        raise ValueError(f"choose a reading between 1 and {len(row.candidates)}")
    reading = row.candidates[choice]
    salon, _ = Salon.objects.get_or_create(city=row.city, name=row.name, address=reading["address"])
    PriceEntry.objects.get_or_create(
        salon=salon, procedure=row.procedure, source=row.source, defaults={"amount_rub": reading["price_rub"]}
    )
    row.resolved_salon, row.resolved_at = salon, timezone.now()
    row.save(update_fields=["resolved_salon", "resolved_at"])
    return salon


def import_seed_prices() -> ImportSummary:
    return import_file(SEED_PRICES, procedure="facial-cryomassage", source=SEED_SOURCE)
