"""Time grids and contact schedules shared by the 1D and 2D enthalpy solvers.

A schedule says when the coolant contact is applied: either a function of time returning True while the
contact is on (evaluated at the middle of each step, so the caller chooses a step that resolves it), or a
list of phases (t_start_s, t_end_s, on); time covered by no phase is "off". Phase ends become step
boundaries, so lifting and re-applying the contact happens exactly at the given times.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

Phase = tuple[float, float, bool]
Schedule = Callable[[float], bool] | Sequence[Phase]


def check_schedule(schedule: Schedule | None) -> None:
    if schedule is None or callable(schedule):
        return
    previous_end = -math.inf
    for phase in sorted(schedule, key=lambda p: p[0]):
        if len(phase) != 3:
            raise ValueError("schedule phases must be (t_start_s, t_end_s, on).")
        start, end, _ = phase
        if not start < end:
            raise ValueError(f"schedule phase ({start}, {end}) must end after it starts.")
        if start < previous_end:
            raise ValueError(f"schedule phase starting at {start} s overlaps the one before.")
        previous_end = end


def schedule_breaks(schedule: Schedule | None) -> list[float]:
    """The phase boundaries of a phase list (none for a function or no schedule)."""
    if schedule is None or callable(schedule):
        return []
    return [float(t) for start, end, _ in schedule for t in (start, end)]


def contact_on(schedule: Schedule | None, t0: float, t1: float) -> bool:
    """Whether the contact is on during the step [t0, t1]; always on without a schedule."""
    if schedule is None:
        return True
    middle = 0.5 * (t0 + t1)
    if callable(schedule):
        return bool(schedule(middle))
    return any(bool(on) and start <= middle < end for start, end, on in schedule)


def time_grid(
    duration_s: float,
    dt_s: float,
    breaks: Sequence[float] = (),
    *,
    growth: float = 1.0,
    dt_max_s: float | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Step end times (first 0) and step sizes between breaks.

    With `growth` 1 (the default): equal steps of at most about `dt_s` (ceil(length/dt) of length/steps).
    With `growth` > 1: each stretch between breaks starts with a step of `dt_s` and lengthens each next one by
    that factor up to `dt_max_s`, so a sudden change (coolant applied, lifted) is resolved to the same fraction
    of the elapsed time however long the stretch is; the steps are scaled down slightly to end on the break.
    """
    if growth < 1.0:
        raise ValueError("growth must be at least 1.")
    knots = [0.0]
    for b in sorted(float(b) for b in breaks if 0.0 < b < duration_s):
        if b - knots[-1] > 1e-9 * duration_s:
            knots.append(b)
    if duration_s - knots[-1] <= 1e-9 * duration_s:
        knots.pop()
    knots.append(float(duration_s))
    times = [np.zeros(1)]
    steps = []
    for start, end in zip(knots[:-1], knots[1:], strict=True):
        sizes = _stretch(end - start, dt_s, growth, dt_max_s)
        if growth == 1.0:
            ends = np.linspace(start, end, sizes.size + 1)[1:]
        else:
            ends = start + np.cumsum(sizes)
            ends[-1] = end
        times.append(ends)
        steps.append(sizes)
    return np.concatenate(times), np.concatenate(steps)


def _stretch(length_s: float, dt_s: float, growth: float, dt_max_s: float | None) -> NDArray[np.float64]:
    if growth == 1.0:
        n = max(1, int(np.ceil(length_s / dt_s - 1e-9)))
        return np.full(n, length_s / n)
    cap = math.inf if dt_max_s is None else max(dt_max_s, dt_s)
    sizes: list[float] = []
    total, step = 0.0, dt_s
    while total < length_s * (1 - 1e-9):
        sizes.append(step)
        total += step
        step = min(step * growth, cap)
    return np.asarray(sizes) * (length_s / total)
