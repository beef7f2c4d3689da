"""Salon names and addresses in both languages.

The source's salons come in its English translation; their Russian renderings are a reviewed data file
(`data/salon_names_ru.yaml`), written by hand rather than guessed by an algorithm, because street names and
brands need judgement ("st. Composers" is "ул. Композиторов", "NJ med" stays Latin). Other imports give one
language, told by its script. Pure: no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

NAMES_FILE = Path(__file__).parent / "data" / "salon_names_ru.yaml"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


class NamesFileError(ValueError):
    """The renderings file is malformed; the message names the city and the entry."""


@dataclass(frozen=True)
class SalonNames:
    name_ru: str
    name_en: str
    address_ru: str
    address_en: str


def has_cyrillic(text: str) -> bool:
    return bool(CYRILLIC.search(text))


def _check(data: object) -> dict[str, dict[str, dict[str, str]]]:
    if not isinstance(data, dict):
        raise NamesFileError(f"{NAMES_FILE.name}: expected a mapping of city slugs")
    for city, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != {"names", "addresses"}:
            raise NamesFileError(f"{NAMES_FILE.name}: {city}: expected exactly `names` and `addresses`")
        for kind in ("names", "addresses"):
            for english, russian in (entry[kind] or {}).items():
                if not isinstance(english, str) or not isinstance(russian, str):
                    raise NamesFileError(f"{NAMES_FILE.name}: {city}.{kind}: {english!r} must map text to text")
                if kind == "addresses" and not has_cyrillic(russian):
                    raise NamesFileError(f"{NAMES_FILE.name}: {city}.addresses: {english!r} has no Russian rendering")
    return data


@cache
def source_renderings() -> dict[str, dict[str, dict[str, str]]]:
    """City slug -> {"names": {English: Russian}, "addresses": {English: Russian}}, checked on load."""
    return _check(yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8")))


def for_source_row(city_slug: str, name: str, address: str) -> SalonNames | None:
    """The Russian and English of a salon of the source, or None where the file has no rendering of it."""
    city = source_renderings().get(city_slug)
    if city is None or name not in city["names"] or address not in city["addresses"]:
        return None
    return SalonNames(city["names"][name], name, city["addresses"][address], address)


def by_script(name: str, address: str) -> SalonNames:
    """A listing in one language: Cyrillic text is the Russian, other text the English."""
    name_ru, name_en = (name, "") if has_cyrillic(name) else ("", name)
    address_ru, address_en = (address, "") if has_cyrillic(address) else ("", address)
    return SalonNames(name_ru, name_en, address_ru, address_en)

