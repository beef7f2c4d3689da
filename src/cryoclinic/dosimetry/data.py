"""The cited tissue, technique and threshold data of the freeze-dose engine (`data/tissue.yaml`), validated on load.

Every number carries its sources; a `range` is the spread where sources disagree (or a stated modelling
choice's plausible span), used by the sensitivity report. Errors name the file, the item and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).with_name("data") / "tissue.yaml"
LAYERS = ("epidermis", "dermis", "fat")
MODES = ("moving_contact", "moving_stream", "hold")
MEASUREMENT_KINDS = ("surface_after_coolant", "rewarming_after_coolant")


class DataError(ValueError):
    """The data file breaks the schema; the message names the item and the field."""


@dataclass(frozen=True)
class Quantity:
    value: float
    low: float
    high: float
    sources: tuple[str, ...]
    assumption: bool = False


@dataclass(frozen=True)
class Layer:
    k_w_mk: Quantity
    c_j_m3k: Quantity
    perfused: bool


@dataclass(frozen=True)
class Thickness:
    epidermis_mm: float
    epidermis_sd_mm: float
    dermis_mm: float
    dermis_sd_mm: float


@dataclass(frozen=True)
class Zone:
    code: str
    name: dict[str, str]
    profiles: dict[str, Thickness]


@dataclass(frozen=True)
class Technique:
    code: str
    procedure: str
    name: dict[str, str]
    mode: str


@dataclass(frozen=True)
class Lethal:
    code: str
    isotherm: Quantity
    name: dict[str, str]


@dataclass(frozen=True)
class Measurement:
    """A published figure the coolant coefficient's range must reproduce on the stand-in column.

    `surface_after_coolant`: the surface temperature `surface_c` after `coolant_s` of coolant (within
    `tolerance`, °C); `rewarming_after_coolant`: the surface back at `surface_c` `after_s` after the coolant is
    lifted (within `tolerance`, s)."""

    code: str
    kind: str
    sources: tuple[str, ...]
    text: dict[str, str]
    coolant_s: float
    surface_c: float
    after_s: float | None
    tolerance: float


@dataclass(frozen=True)
class StandIn:
    """The zone and skin profile whose column stands in for a measurement's tissue."""

    zone: str
    skin: str
    why: str


@dataclass(frozen=True)
class DoseData:
    version: str
    sources: dict[str, dict[str, str]]
    coolant_c: Quantity
    coolant_h: Quantity
    air_c: Quantity
    air_h: Quantity
    core_c: Quantity
    perfusion: Quantity
    liquidus_c: Quantity
    solidus_c: Quantity
    latent: Quantity
    frozen_k_ratio: Quantity
    frozen_c_ratio: Quantity
    layers: dict[str, Layer]
    fat_mm: Quantity
    epidermis_low_mm: Quantity
    profiles: dict[str, dict[str, Any]]
    zones: dict[str, Zone]
    techniques: dict[str, Technique]
    lethal: dict[str, Lethal]
    measurements: dict[str, Measurement]
    stand_in: StandIn


class _Reader:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.source_ids = set(raw.get("sources") or {})

    def fail(self, where: str, message: str) -> DataError:
        return DataError(f"{DATA_FILE.name}: {where}: {message}")

    def section(self, where: str) -> Any:
        node: Any = self.raw
        for part in where.split("."):
            if not isinstance(node, dict) or part not in node:
                raise self.fail(where, "missing")
            node = node[part]
        return node

    def quantity(self, where: str) -> Quantity:
        node = self.section(where)
        if not isinstance(node, dict) or not isinstance(node.get("value"), (int, float)):
            raise self.fail(where, "needs a numeric `value`")
        value = float(node["value"])
        low, high = node.get("range", [value, value])
        if not low <= value <= high:
            raise self.fail(where, f"value {value} lies outside its range [{low}, {high}]")
        sources = tuple(node.get("source") or ())
        if not sources:
            raise self.fail(where, "cites no source")
        unknown = [s for s in sources if s not in self.source_ids]
        if unknown:
            raise self.fail(where, f"cites unknown sources {unknown}")
        if node.get("assumption") and not node.get("why"):
            raise self.fail(where, "an assumption must say why")
        return Quantity(value, float(low), float(high), sources, bool(node.get("assumption")))

    def names(self, where: str, node: dict[str, Any]) -> dict[str, str]:
        names = {lang: str(node.get(lang, "")) for lang in ("en", "ru")}
        if not all(names.values()):
            raise self.fail(where, "needs an en and a ru name")
        return names

    def number(self, where: str, node: dict[str, Any], name: str, *, positive: bool = False) -> float:
        value = node.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{where}.{name}", "needs a number")
        if positive and value <= 0:
            raise self.fail(f"{where}.{name}", "must be positive")
        return float(value)

    def measurement(self, code: str, node: Any) -> Measurement:
        where = f"coolant.measurements.{code}"
        if not isinstance(node, dict):
            raise self.fail(where, "must be a mapping")
        kind = node.get("kind")
        if kind not in MEASUREMENT_KINDS:
            raise self.fail(f"{where}.kind", f"must be one of {MEASUREMENT_KINDS}")
        sources = tuple(node.get("source") or ())
        if not sources:
            raise self.fail(where, "cites no source")
        unknown = [s for s in sources if s not in self.source_ids]
        if unknown:
            raise self.fail(where, f"cites unknown sources {unknown}")
        rewarming = kind == "rewarming_after_coolant"
        return Measurement(
            code=code,
            kind=kind,
            sources=sources,
            text=self.names(where, node),
            coolant_s=self.number(where, node, "coolant_s", positive=True),
            surface_c=self.number(where, node, "surface_c"),
            after_s=self.number(where, node, "after_s", positive=True) if rewarming else None,
            tolerance=self.number(where, node, "tolerance_s" if rewarming else "tolerance_c", positive=True),
        )


def parse(raw: dict[str, Any]) -> DoseData:
    r = _Reader(raw)
    for sid, source in (raw.get("sources") or {}).items():
        if not source.get("citation"):
            raise r.fail(f"sources.{sid}", "needs a citation")
    layers = {
        name: Layer(
            r.quantity(f"layers.{name}.k_w_mk"),
            r.quantity(f"layers.{name}.c_j_m3k"),
            bool(r.section(f"layers.{name}.perfused")),
        )
        for name in LAYERS
    }
    profiles = r.section("skin_profiles")
    for code, profile in profiles.items():
        r.names(f"skin_profiles.{code}", profile)
    zones = {}
    for code, node in r.section("zones").items():
        thickness = {}
        for profile in profiles:
            try:
                (epi, epi_sd), (derm, derm_sd) = node[profile]["epidermis_mm"], node[profile]["dermis_mm"]
            except (KeyError, TypeError, ValueError) as error:
                raise r.fail(f"zones.{code}.{profile}", "needs epidermis_mm and dermis_mm as [mean, sd]") from error
            if min(epi, derm) <= 0:
                raise r.fail(f"zones.{code}.{profile}", "thicknesses must be positive")
            thickness[profile] = Thickness(float(epi), float(epi_sd), float(derm), float(derm_sd))
        zones[code] = Zone(code, r.names(f"zones.{code}.name", node.get("name") or {}), thickness)
    techniques = {}
    for code, node in r.section("techniques").items():
        if node.get("mode") not in MODES:
            raise r.fail(f"techniques.{code}.mode", f"must be one of {MODES}")
        techniques[code] = Technique(
            code,
            str(node.get("procedure", "")),
            r.names(f"techniques.{code}.name", node.get("name") or {}),
            node["mode"],
        )
    lethal = {
        code: Lethal(code, r.quantity(f"lethal_isotherms.{code}"), r.names(f"lethal_isotherms.{code}", node))
        for code, node in r.section("lethal_isotherms").items()
    }
    solidus, liquidus = r.quantity("phase_change.solidus_c"), r.quantity("phase_change.liquidus_c")
    if solidus.high >= liquidus.low:
        raise r.fail("phase_change", "the solidus range must lie below the liquidus range")
    measured = r.section("coolant.measurements")
    if not isinstance(measured, dict) or not measured:
        raise r.fail("coolant.measurements", "needs at least one measurement that bounds the coefficient's range")
    measurements = {code: r.measurement(code, node) for code, node in measured.items()}
    stand_in = r.section("coolant.stand_in")
    if not isinstance(stand_in, dict) or stand_in.get("zone") not in zones or stand_in.get("skin") not in profiles:
        raise r.fail("coolant.stand_in", "needs a known zone and skin profile")
    if not stand_in.get("why"):
        raise r.fail("coolant.stand_in", "a stand-in must say why")
    return DoseData(
        version=str(raw.get("version", "")),
        sources=raw["sources"],
        coolant_c=r.quantity("coolant.temperature_c"),
        coolant_h=r.quantity("coolant.h_w_m2k"),
        air_c=r.quantity("air.temperature_c"),
        air_h=r.quantity("air.h_w_m2k"),
        core_c=r.quantity("body.core_c"),
        perfusion=r.quantity("blood.perfusion_w_m3k"),
        liquidus_c=liquidus,
        solidus_c=solidus,
        latent=r.quantity("phase_change.latent_j_m3"),
        frozen_k_ratio=r.quantity("phase_change.frozen_k_ratio"),
        frozen_c_ratio=r.quantity("phase_change.frozen_c_ratio"),
        layers=layers,
        fat_mm=r.quantity("layers.fat.thickness_mm"),
        epidermis_low_mm=r.quantity("epidermis_low_mm"),
        profiles=profiles,
        zones=zones,
        techniques=techniques,
        lethal=lethal,
        measurements=measurements,
        stand_in=StandIn(str(stand_in["zone"]), str(stand_in["skin"]), str(stand_in["why"])),
    )


@lru_cache(maxsize=1)
def load() -> DoseData:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle))
