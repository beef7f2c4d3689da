"""What depends only on the data file and the engine — the dwell table and the measurements held against the
coolant's range — as read back from the table cache (`tablecache`) without the engine: no NumPy, no Numba. When
this data and engine version was never computed, `answers` computes and stores it (imported only then).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from . import tablecache
from .data import DoseData, load

Place = tuple[str, str, str]  # zone, technique, skin


@dataclass(frozen=True)
class Bound:
    """One measurement against the range: the engine's figure at the range's two ends and a coefficient inside
    it that reproduces the measurement within `tolerance` (None when the range holds none)."""

    code: str
    sources: list[str]
    text: dict[str, str]
    kind: str
    measured: float
    unit: str
    tolerance: float
    at_low_end: float | None  # None: no rewarming within the window
    at_high_end: float | None
    reproduced_at_w_m2k: float | None

    @property
    def held(self) -> bool:
        return self.reproduced_at_w_m2k is not None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class RangeContradicted(Exception):
    """The coolant's range holds no coefficient that reproduces a cited measurement: no answer may be shown."""

    def __init__(self, bound: Bound, low_w_m2k: float, high_w_m2k: float) -> None:
        self.bound = bound

        def shown(value: float | None) -> str:
            return "not reached" if value is None else f"{value:.1f} {bound.unit}"

        super().__init__(
            f"the coolant coefficient's range {low_w_m2k:g}–{high_w_m2k:g} W/m²K does not reproduce "
            f"{bound.code} ({', '.join(bound.sources)}): measured {bound.measured:g} {bound.unit}, the engine gives "
            f"{shown(bound.at_low_end)} and {shown(bound.at_high_end)} at the two ends"
        )


def check(data: DoseData, found: tuple[Bound, ...]) -> None:
    """Raise `RangeContradicted` for the first measurement the range does not hold."""
    for b in found:
        if not b.held:
            raise RangeContradicted(b, data.coolant_h.low, data.coolant_h.high)


def coolant_range(data: DoseData, found: tuple[Bound, ...]) -> dict[str, Any]:
    """What an answer says about the coefficient's range: its ends, its sources and the measurements bounding it."""
    h = data.coolant_h
    return {
        "value_w_m2k": h.value,
        "low_w_m2k": h.low,
        "high_w_m2k": h.high,
        "sources": list(h.sources),
        "measurements": [b.as_dict() for b in found],
    }


@dataclass
class Dwell:
    zone: str
    skin: str
    technique: str
    dwell_s: float
    shortest_s: float
    longest_s: float
    resting_surface_c: float
    passes: dict[str, float]
    coolant_range: dict[str, Any] = field(default_factory=dict)
    sensitivity: dict[str, list[Any]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def places(data: DoseData) -> list[Place]:
    """The dwell table's cells: every zone x cryomassage technique x skin profile."""
    techniques = [code for code, t in data.techniques.items() if t.mode != "hold"]
    return [(zone, technique, skin) for zone in data.zones for technique in techniques for skin in data.profiles]


Versioned = tuple[tuple[Bound, ...], dict[Place, Dwell] | None]


def decode(stored: dict[str, Any]) -> Versioned:
    found = tuple(Bound(**b) for b in stored["bounds"])
    if stored["table"] is None:
        return found, None
    cells = [Dwell(**row) for row in stored["table"]]
    return found, {(c.zone, c.technique, c.skin): c for c in cells}


def encode(data: DoseData, versioned: Versioned) -> dict[str, Any]:
    found, cells = versioned
    return {
        "data_version": data.version,
        "bounds": [b.as_dict() for b in found],
        "table": None if cells is None else [cell.as_dict() for cell in cells.values()],
    }


@lru_cache(maxsize=1)
def versioned() -> Versioned:
    """The measurements held against the coolant's range, and the dwell table (None when the range misses a
    measurement): read from the table cache of this version, or computed by the engine and stored there."""
    key = tablecache.version()
    stored = tablecache.read(key)
    if stored is not None:
        return decode(stored)
    from .answers import compute_versioned  # the engine, imported only when this version was never computed

    computed = compute_versioned()
    tablecache.write(key, encode(load(), computed))
    return computed


def dwell_table() -> list[Dwell]:
    """Safe dwell for every zone, cryomassage technique and skin profile (no earlier passes), computed once per
    data and engine version. Raises `RangeContradicted` when the coolant's range misses a cited measurement."""
    data = load()
    found, cells = versioned()
    check(data, found)
    if cells is None:  # `check` has raised already; kept for the type checker
        raise RuntimeError("the dwell table is missing although the coolant range holds every measurement")
    return [replace(cells[place]) for place in places(data)]
