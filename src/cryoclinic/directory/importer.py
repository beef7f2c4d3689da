"""Importing price tables: all or nothing, idempotent, ambiguous rows held for staff review with their readings
ranked by plausibility, salons named in both languages where the renderings are known."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from cryoclinic.knowledge import services as knowledge

from . import names
from .models import City, PendingRow, PriceEntry, Salon
from .parsing import ParseError, Reading, Row, Table, parse_csv, parse_text, rank_readings

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


def salon_for(city: City, name: str, address: str, phone: str = "") -> Salon:
    """The listed salon, created with its names in both languages: the reviewed renderings for the source's
    salons, else the one language the import gives."""
    rendered = names.for_source_row(city.slug, name, address)
    origin = Salon.NamesOrigin.SOURCE_TRANSLATION if rendered else Salon.NamesOrigin.IMPORT
    both = rendered or names.by_script(name, address)
    salon, _ = Salon.objects.get_or_create(
        city=city,
        name=name,
        address=address,
        defaults={"phone": phone, "names_origin": origin, **vars(both)},
    )
    return salon


def _write_price(row: Row, city: City, procedure: str, source: str, date: dt.date | None) -> bool:
    reading = row.readings[0]
    salon = salon_for(city, row.name, reading.address, row.phone)
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
    reference = table.certain_prices()
    with transaction.atomic():
        for row in table.rows:
            city = city_for(row.city)
            if row.ambiguous:
                candidates = ranked_candidates(row.readings, reference)
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


def ranked_candidates(readings: Sequence[Reading], reference_prices_rub: Sequence[int]) -> list[dict[str, Any]]:
    """A pending row's candidates as stored: most plausible first, each with its robust z-score."""
    return [
        {"address": r.reading.address, "price_rub": r.reading.price_rub, "robust_z": r.robust_z}
        for r in rank_readings(readings, reference_prices_rub)
    ]


@transaction.atomic
def confirm_pending(row: PendingRow, choice: int, *, by: Any = None, request: HttpRequest | None = None) -> Salon:
    """Staff picked reading number `choice` (0: the proposal) of an ambiguous row: create the salon and its
    price; recorded in the audit log when `by` is given."""
    row = PendingRow.objects.select_for_update().get(pk=row.pk)
    if row.resolved_at is not None:
        raise ValueError("this row is already confirmed")
    if not 0 <= choice < len(row.candidates):
        raise ValueError(f"choose a reading between 1 and {len(row.candidates)}")
    reading = row.candidates[choice]
    salon = salon_for(row.city, row.name, reading["address"])
    PriceEntry.objects.get_or_create(
        salon=salon, procedure=row.procedure, source=row.source, defaults={"amount_rub": reading["price_rub"]}
    )
    row.resolved_salon, row.resolved_at = salon, timezone.now()
    row.save(update_fields=["resolved_salon", "resolved_at"])
    if by is not None:
        from cryoclinic.accounts import audit

        detail = f"{reading['address']}, {reading['price_rub']} RUB"
        audit.record(by, "confirm_reading", row, request=request, detail=detail)
    return salon


def import_seed_prices() -> ImportSummary:
    return import_file(SEED_PRICES, procedure="facial-cryomassage", source=SEED_SOURCE)
