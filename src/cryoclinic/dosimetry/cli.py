"""`cryoclinic dose …`: the freeze-dose answers on the command line, as text or `--json`.

cryoclinic dose dwell --zone eyelid --technique cotton_swab --skin female [--passes 5 --contact-s 0.5 --gap-s 3]
cryoclinic dose freeze --zone zygoma --skin female --depth-mm 1 --margin-mm 1 --diameter-mm 4 --kind benign
cryoclinic dose table
cryoclinic dose bounds [--invert]
cryoclinic dose sources
cryoclinic dose validate
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import answers, bounds, validation
from .data import load


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cryoclinic dose", description="Freeze-dose guidance from cited tissue data.")
    commands = parser.add_subparsers(dest="command", required=True)
    dwell = commands.add_parser("dwell", help="how long the coolant may rest on one spot before the skin freezes")
    dwell.add_argument("--zone", required=True)
    dwell.add_argument("--technique", required=True)
    dwell.add_argument("--skin", required=True)
    dwell.add_argument("--passes", type=int, default=0, help="earlier passes over the same spot")
    dwell.add_argument("--contact-s", type=float, default=0.5, help="contact time of each earlier pass")
    dwell.add_argument("--gap-s", type=float, default=5.0, help="time between earlier passes")
    freeze = commands.add_parser("freeze", help="hold time to freeze a lesion to its depth plus a margin")
    freeze.add_argument("--zone", required=True)
    freeze.add_argument("--skin", required=True)
    freeze.add_argument("--technique", default="ln2_cauterization")
    freeze.add_argument("--depth-mm", type=float, required=True)
    freeze.add_argument("--margin-mm", type=float, default=1.0)
    freeze.add_argument("--diameter-mm", type=float, required=True)
    freeze.add_argument("--kind", required=True, help="benign or malignant: selects the lethal isotherm")
    freeze.add_argument("--cycles", type=int, default=1)
    freeze.add_argument("--max-hold-s", type=float, default=120.0)
    commands.add_parser("table", help="safe dwell for every zone, technique and skin profile")
    limits = commands.add_parser("bounds", help="the measurements that bound the coolant coefficient's range")
    limits.add_argument(
        "--invert", action="store_true", help="also the coefficient reproducing each one on every zone's column"
    )
    commands.add_parser("sources", help="the publications behind the data")
    commands.add_parser("validate", help="calibrate on one published figure, predict another (the README table)")
    for sub in (dwell, freeze):
        sub.add_argument("--sensitivity", action="store_true", help="vary each uncertain datum over its range")
    for sub in commands.choices.values():
        sub.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _seconds(value: float | None) -> str:
    return "not reached" if value is None else f"{value:.2f} s"


def _text_dwell(row: answers.Dwell) -> str:
    return (
        f"{row.zone} / {row.technique} / {row.skin}: safe dwell {row.dwell_s:.2f} s "
        f"(range {row.shortest_s:.2f}–{row.longest_s:.2f} s), resting skin {row.resting_surface_c:.1f} °C"
    )


def _text_freeze(result: answers.Freeze) -> str:
    low, high = result.hold_range_s
    wide = result.wide_contact
    return "\n".join(
        [
            f"{result.zone} / {result.skin} / {result.technique}: {result.isotherm_c:g} °C to {result.target_mm:g} mm "
            f"under a {result.lesion['diameter_mm']:g} mm applicator",
            f"hold {_seconds(result.hold_s)} (range {_seconds(low)} – {_seconds(high)})",
            f"ice {result.ice_depth_mm:.2f} mm deep, {result.ice_radius_mm:.2f} mm radius on the skin: "
            f"{result.lateral_spread_mm:.2f} mm beyond the applicator's edge; "
            f"lethal radius {result.lethal_radius_mm:.2f} mm",
            f"thaw {_seconds(result.thaw_s)} after lifting",
            f"wide-contact limit (1D): hold {_seconds(wide['hold_s'])}, thaw {_seconds(wide['thaw_s'])}",
        ]
    )


def _text_sensitivity(sensitivity: dict[str, list[Any]]) -> str:
    return "\n".join(f"  {name}: {_seconds(low)} … {_seconds(high)}" for name, (low, high) in sensitivity.items())


def _text_bound(b: bounds.Bound) -> str:
    def shown(value: float | None) -> str:
        return "not reached" if value is None else f"{value:.1f} {b.unit}"

    reproduced = "none" if b.reproduced_at_w_m2k is None else f"{b.reproduced_at_w_m2k:.0f} W/m²K"
    return (
        f"{b.code} ({', '.join(b.sources)}): measured {b.measured:g} {b.unit} (± {b.tolerance:g}); engine "
        f"{shown(b.at_low_end)} at the low end, {shown(b.at_high_end)} at the high end; reproduced at {reproduced}"
    )


def _bounds(invert: bool) -> tuple[Any, str]:
    data = load()
    found = answers.coolant_bounds()
    h = data.coolant_h
    lines = [f"coolant coefficient {h.value:g} W/m²K, range {h.low:g}–{h.high:g} ({', '.join(h.sources)}); "
             f"stand-in column: {data.stand_in.zone}, {data.stand_in.skin}"]  # fmt: skip
    lines += [_text_bound(b) for b in found]
    payload: dict[str, Any] = bounds.coolant_range(data, found)
    if invert:
        inverted: dict[str, dict[str, float | None]] = {}
        for m in data.measurements.values():
            inverted[m.code] = {
                f"{zone}/{skin}": bounds.invert(data, m, zone, skin, 10.0, 1e4)
                for zone in data.zones
                for skin in data.profiles
            }
            found_h = [v for v in inverted[m.code].values() if v is not None]
            lines.append(f"{m.code}: reproduced at " + ", ".join(
                f"{key} {'none' if v is None else f'{v:.0f}'}" for key, v in inverted[m.code].items()
            ) + (f"; {min(found_h):.0f}–{max(found_h):.0f} W/m²K" if found_h else ""))  # fmt: skip
        payload["inverted_w_m2k"] = inverted
    return payload, "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "dwell":
            passes = answers.Passes(args.passes, args.contact_s, args.gap_s)
            row = answers.safe_dwell(args.zone, args.technique, args.skin, passes=passes, sensitivity=args.sensitivity)
            payload: Any = row.as_dict()
            text = _text_dwell(row) + ("\n" + _text_sensitivity(row.sensitivity) if row.sensitivity else "")
        elif args.command == "freeze":
            lesion = answers.Lesion(args.depth_mm, args.margin_mm, args.diameter_mm, args.kind)
            result = answers.freeze_hold(
                args.zone,
                args.skin,
                lesion,
                technique=args.technique,
                max_hold_s=args.max_hold_s,
                cycles=args.cycles,
                sensitivity=args.sensitivity,
            )
            payload = result.as_dict()
            text = _text_freeze(result) + ("\n" + _text_sensitivity(result.sensitivity) if result.sensitivity else "")
        elif args.command == "table":
            rows = answers.dwell_table()
            payload = [row.as_dict() for row in rows]
            text = "\n".join(_text_dwell(row) for row in rows)
        elif args.command == "bounds":
            payload, text = _bounds(args.invert)
        elif args.command == "validate":
            validated = validation.run()
            payload = [row.as_dict() for row in validated]
            text = validation.markdown(validated)
        else:
            payload = load().sources
            text = "\n".join(f"{sid}: {' '.join(source['citation'].split())}" for sid, source in payload.items())
    except answers.InputError as error:
        print(f"cryoclinic dose: error: {error}", file=sys.stderr)
        return 2
    except bounds.RangeContradicted as error:
        print(f"cryoclinic dose: refused: {error}", file=sys.stderr)
        return 3
    print(json.dumps(payload, ensure_ascii=False, indent=1) if args.json else text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
