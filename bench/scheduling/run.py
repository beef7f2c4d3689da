"""Greedy planner vs CP-SAT optimizer on a promotion: 300 courses started over eight weeks.

A clinic with 6 practitioners and 3 rooms open 08:00–20:00 Monday to Saturday; 300 clients, each
free on 4–6 random weekdays in one random 3-hour window, start a 10-session course (20 minutes,
2–3 days apart) on a random day of the first eight weeks, within a week of it. Prints, side by side,
the share of courses fully placed, the share that keep one practitioner and one time of day, the
time taken, and the ratios: first the greedy planner against its baseline (`planner_before.py`, the
planner before the speed work), then CP-SAT against greedy, then the upper bound (each course on
its own on an empty clinic). Seeded: the same run gives the same figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import planner_before  # noqa: E402

from cryoclinic.scheduling.optimizer import fits_alone, greedy, optimize_courses, preferences_met  # noqa: E402
from cryoclinic.scheduling.planner import validate_plan  # noqa: E402
from cryoclinic.scheduling.planning import (  # noqa: E402
    Busy,
    ClinicSpec,
    CourseRequest,
    CourseRules,
    Interval,
    PractitionerSpec,
    RoomSpec,
    TimeWindow,
)

MOSCOW = ZoneInfo("Europe/Moscow")
RULES = CourseRules(sessions=10, min_gap_days=2, max_gap_days=3, session_duration_min=20)  # seed#course-duration


def instance(clients: int, seed: int) -> tuple[ClinicSpec, list[CourseRequest]]:
    rng = random.Random(seed)
    open_hours = tuple(TimeWindow(d, dt.time(8), dt.time(20)) for d in range(6))
    clinic = ClinicSpec(
        time_zone=MOSCOW,
        opening_hours=open_hours,
        closed_days=frozenset(),
        practitioners=tuple(PractitionerSpec(i, frozenset({"facial-cryomassage"}), open_hours) for i in range(1, 7)),
        rooms=tuple(RoomSpec(100 + i) for i in range(3)),
    )
    first_monday = dt.date(2027, 1, 11)
    requests = []
    for client in range(clients):
        start_hour = rng.choice([8, 10, 12, 14, 16, 17])
        days = sorted(rng.sample(range(6), rng.randint(4, 6)))
        windows = tuple(TimeWindow(d, dt.time(start_hour), dt.time(start_hour + 3)) for d in days)
        start = first_monday + dt.timedelta(days=rng.randrange(56))
        requests.append(CourseRequest(client, "facial-cryomassage", start, windows, RULES))
    return clinic, requests


def summarize(name: str, clinic, requests, results, seconds: float) -> dict[str, float]:
    taken: list[Busy] = []
    for request, result in zip(requests, results, strict=True):
        if result.ok:
            problems = validate_plan(clinic, request, taken, result.sessions)
            assert not problems, (name, request.client_id, problems)
            for s in result.sessions:
                taken += [
                    Busy("practitioner", s.practitioner_id, Interval(s.start, s.end)),
                    Busy("room", s.room_id, Interval(s.start, s.end)),
                ]
    placed = [r for r in results if r.ok]
    return {
        "placed_pct": 100 * len(placed) / len(results),
        "preferences_pct": 100 * sum(preferences_met(r.sessions, clinic) == 2 for r in placed) / max(len(placed), 1),
        "seconds": seconds,
    }


def table(left: str, right: str, a: dict[str, float], b: dict[str, float], clients: int) -> None:
    print(f"{'':18}{left:>10}{right:>10}{'ratio':>10}")
    rows = (("placed_pct", "placed, %"), ("preferences_pct", "preferences, %"), ("seconds", "time, s"))
    for key, label in rows:
        ratio = b[key] / a[key] if a[key] else float("inf")
        digits = 2 if key == "seconds" else 1
        print(f"{label:18}{a[key]:>10.{digits}f}{b[key]:>10.{digits}f}{ratio:>10.2f}")
    per_a, per_b = 1000 * a["seconds"] / clients, 1000 * b["seconds"] / clients
    print(f"{'per course, ms':18}{per_a:>10.1f}{per_b:>10.1f}{per_b / per_a if per_a else float('inf'):>10.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--time-limit", type=float, default=20.0, help="CP-SAT's whole budget (candidate plans + search), seconds"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-reference", action="store_true", help="skip the old planner (the greedy baseline)")
    args = parser.parse_args()
    clinic, requests = instance(args.clients, args.seed)
    print(f"{args.clients} courses, 6 practitioners, 3 rooms, 12-hour days, seed {args.seed}")
    ok = True

    began = time.perf_counter()
    baseline = greedy(clinic, requests, [], start_window_days=7)
    greedy_s = time.perf_counter() - began
    g = summarize("greedy", clinic, requests, baseline, greedy_s)
    if not args.no_reference:
        began = time.perf_counter()
        before = planner_before.greedy(clinic, requests, [], start_window_days=7)
        before_s = time.perf_counter() - began
        r = summarize("reference", clinic, requests, before, before_s)
        same = sum(old.sessions == new.sessions for old, new in zip(before, baseline, strict=True))
        print("\ngreedy planner, course after course: before (bench/scheduling/planner_before.py) and now")
        table("before", "now", r, g, args.clients)
        print(f"{before_s / greedy_s:.1f}x faster (goal 10x); the same plan for {same} of {args.clients} courses")
        ok &= g["placed_pct"] >= r["placed_pct"]

    began = time.perf_counter()
    optimized = optimize_courses(
        clinic, requests, [], time_limit_s=args.time_limit, workers=args.workers, start_window_days=7, hint=baseline
    )
    cpsat_s = time.perf_counter() - began
    o = summarize("cp-sat", clinic, requests, optimized, cpsat_s)
    print("\ncp-sat vs greedy; cp-sat time: candidate plans + search, warm-started with greedy (not counted)")
    table("greedy", "cp-sat", g, o, args.clients)

    began = time.perf_counter()
    alone = fits_alone(clinic, requests, [], start_window_days=7)
    bound = 100 * sum(alone) / len(alone)
    print(
        f"\nupper bound: {bound:.1f}% of the courses fit, each on its own on an empty clinic "
        f"({time.perf_counter() - began:.1f} s);\n{100 - bound:.1f}% is ruled out by the clients' windows and the "
        f"course rules, the rest of the gap is capacity:\ngreedy places {100 * g['placed_pct'] / bound:.0f}% of the "
        f"bound, cp-sat {100 * o['placed_pct'] / bound:.0f}%"
    )
    ok &= o["placed_pct"] <= bound
    ok &= o["placed_pct"] >= g["placed_pct"] and cpsat_s <= 30
    print(
        "PASS" if ok else "FAIL",
        "(greedy places as many as before; cp-sat at least as many as greedy within 30 s; none above the bound)",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
