"""Splitting price-table rows where name, address, price and phone run together.

The source's section "Cost of services in salons" has rows such as
`Medical clinic "NJ med"Sredny prospect, 85, lit.U700+7`: the name runs into the address, the
address into the price, the price into a phone cut to `+7`. A reading is kept only when exactly one
split makes sense; where the house number and the price run together with nothing between them
and more than one split makes sense, the row is ambiguous and every candidate is returned — the
importer never guesses. Pure: no Django.
"""

from __future__ import annotations

import csv
import io
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

HEADER = re.compile(r"^Name of the clinic/salon\s*Address\s*Price\s*Telephone$", re.IGNORECASE)
PHONE_TAIL = re.compile(r"(\+7[\d\s()-]*)$")
# Words after which an address still needs a number: an address cannot end with one of them.
NEEDS_NUMBER = {"st.", "building", "bldg", "p.", "lit.", "of.", "office", "house", "д.", "корп.", "стр.", "лит.", "оф."}
STREET_MARKER = re.compile(r"st\.\s")
QUOTED = re.compile(r"[\"“«][^\"”»]+[\"”»](?=\S)")
CASE_BOUNDARY = re.compile(r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ])")
MAD_TO_SIGMA = 1.4826  # the median absolute deviation of a normal sample × 1.4826 estimates its standard deviation
MIN_REFERENCE_PRICES = 3


class ParseError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Reading:
    address: str
    price_rub: int


@dataclass(frozen=True)
class Row:
    line: int
    city: str
    name: str
    raw: str
    readings: tuple[Reading, ...]  # exactly one: certain; more: ambiguous, for staff to pick
    phone: str = ""  # E.164 when the row gives a whole number; the source's are cut to "+7"

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)

    def certain_prices(self) -> list[int]:
        """The prices of the rows read with certainty: the reference an ambiguous row is ranked against."""
        return [row.readings[0].price_rub for row in self.rows if not row.ambiguous]


@dataclass(frozen=True)
class RankedReading:
    reading: Reading
    robust_z: float | None  # None: too few certain prices to rank against


def rank_readings(readings: Sequence[Reading], reference_prices_rub: Sequence[int]) -> tuple[RankedReading, ...]:
    """The readings of an ambiguous row, most plausible first, by how usual each price is among the table's
    certain prices (the whole file: one city's table has only two other rows, too few to measure a spread).

    Plausibility is the robust z-score of the price's logarithm, z = |ln p − median(ln P)| / (1.4826 · MAD(ln P)),
    smaller being more plausible. Logarithms, because prices spread by ratios and a wrong split is off by a
    factor (850 ₽ read as 50 ₽, 500 ₽ as 7 500 ₽), not by a fixed amount. The median and the median absolute
    deviation rather than the mean and the standard deviation, because a few dozen prices already hold outliers
    (1 800 ₽ in Krasnodar) that would stretch the spread and blur the ranking. The candidates themselves never
    count in the reference. With fewer than three certain prices the readings keep their order, unranked; where
    every certain price is the same (MAD 0), the plain distance in log units ranks them.
    """
    if len(reference_prices_rub) < MIN_REFERENCE_PRICES:
        return tuple(RankedReading(r, None) for r in readings)
    logs = [math.log(p) for p in reference_prices_rub]
    centre = statistics.median(logs)
    spread = MAD_TO_SIGMA * statistics.median(abs(x - centre) for x in logs) or 1.0
    ranked = [RankedReading(r, round(abs(math.log(r.price_rub) - centre) / spread, 3)) for r in readings]
    return tuple(sorted(ranked, key=lambda r: (r.robust_z, r.reading.price_rub)))


def _price(text: str) -> int | None:
    """'1 160' -> 1160, '850' -> 850; None for what cannot be a price (leading zero, bad grouping)."""
    if re.fullmatch(r"[1-9]\d*", text):
        return int(text)
    if re.fullmatch(r"[1-9]\d{0,2}( \d{3})+", text):
        return int(text.replace(" ", ""))
    return None


def _address_ok(address: str) -> bool:
    address = address.strip()
    if not address or not address[-1].isalnum() or not re.search(r"\d", address):
        return False
    if re.search(r"\d \d+$", address):  # "…, 5 5": two numbers in a row end no address
        return False
    return address.split()[-1].lower() not in NEEDS_NUMBER


def readings(address_and_price: str) -> tuple[Reading, ...]:
    """The sensible splits of `address price`.

    A split where something (a space, a letter) stands between address and price wins over one that
    cuts a run of digits; only when no such split exists are the cuts inside the digits offered.
    """
    text = address_and_price.rstrip()
    separated: list[Reading] = []
    run_together: list[Reading] = []
    for cut in range(len(text) - 1, 0, -1):
        price_text, address = text[cut:], text[:cut]
        if not re.fullmatch(r"[\d ]+", price_text):
            break
        if price_text.startswith(" "):
            continue
        price = _price(price_text)
        if price is not None and _address_ok(address):
            (run_together if address[-1].isdigit() else separated).append(Reading(address.strip(), price))
    return tuple(sorted(set(separated or run_together), key=lambda r: r.price_rub))


def split_name(text: str) -> tuple[str, str]:
    """The name and the rest (address and price): at "st.", after a closing quote, or where case changes."""
    marker = STREET_MARKER.search(text)
    if marker is not None:
        return text[: marker.start()].strip(), text[marker.start() :]
    quote = QUOTED.search(text)
    if quote is not None:
        return text[: quote.end()].strip(), text[quote.end() :]
    boundary = CASE_BOUNDARY.search(text)
    if boundary is not None:
        return text[: boundary.start()].strip(), text[boundary.start() :]
    raise ValueError("cannot tell the name from the address")


def parse_text(text: str) -> Table:
    """The source's layout: a city line, a header line, rows ending in the phone; blank lines between."""
    table = Table()
    city = ""
    expect_header = False
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line.lower() == "cost of services in salons":
            continue
        if HEADER.match(line):
            if not city:
                raise ParseError(number, "a table header before any city")
            expect_header = False
            continue
        phone = PHONE_TAIL.search(line)
        if phone is None:
            if expect_header:
                raise ParseError(number, f"expected the table header after the city {city!r}, got {line!r}")
            city, expect_header = line, True
            continue
        if not city or expect_header:
            raise ParseError(number, "a price row before any city and table header")
        body = line[: phone.start()]
        try:
            name, rest = split_name(body)
        except ValueError as exc:
            raise ParseError(number, f"{exc}: {line!r}") from exc
        found = readings(rest)
        if not found:
            raise ParseError(number, f"no address and price can be read from {rest!r}")
        phone_digits = re.sub(r"\D", "", phone.group(1))
        table.rows.append(Row(number, city, name, line, found, "+" + phone_digits if len(phone_digits) == 11 else ""))
    return table


CSV_COLUMNS = ("city", "name", "address", "price_rub", "phone")


def parse_csv(text: str) -> Table:
    """CSV with the header `city,name,address,price_rub,phone` (phone may be empty); prices as integers."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ParseError(1, f"missing columns: {', '.join(missing)} (expected {', '.join(CSV_COLUMNS)})")
    table = Table()
    for row in reader:
        number = reader.line_num
        city, address = (row["city"] or "").strip(), (row["address"] or "").strip()
        if not city or not address:
            raise ParseError(number, "city and address are required")
        price = _price((row["price_rub"] or "").strip())
        if price is None:
            raise ParseError(number, f"price_rub {row['price_rub']!r} is not a whole number of roubles")
        phone = (row["phone"] or "").strip()
        table.rows.append(
            Row(number, city, (row["name"] or "").strip(), ",".join(row.values()), (Reading(address, price),), phone)
        )
    return table
