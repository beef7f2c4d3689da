"""Pure arithmetic of the nitrogen stock: when does a vessel run out, and what do the readings say.

Levels fall by the vessel's boil-off every day and by the planned sessions' consumption on their
day. No Django here, so the rules can be checked against a hand-computed example.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Forecast:
    levels_l: tuple[tuple[dt.date, float], ...]  # the level at the end of each day
    run_out_date: dt.date | None  # the first day that ends at or below the reserve; None within the horizon

    def refill_by(self, lead_days: int) -> dt.date | None:
        """The last day to order a refill so it arrives before the run-out."""
        return None if self.run_out_date is None else self.run_out_date - dt.timedelta(days=lead_days)


def forecast_levels(
    *,
    level_l: float,
    start: dt.date,
    boil_off_l_per_day: float,
    consumption_l_by_day: Mapping[dt.date, float],
    reserve_l: float,
    horizon_days: int = 60,
) -> Forecast:
    """Walk day by day from `level_l` at the start of `start`."""
    if level_l < 0 or boil_off_l_per_day < 0 or reserve_l < 0 or horizon_days < 1:
        raise ValueError("levels, boil-off, reserve must be non-negative and the horizon at least one day")
    levels: list[tuple[dt.date, float]] = []
    run_out: dt.date | None = None
    level = level_l
    for offset in range(horizon_days):
        day = start + dt.timedelta(days=offset)
        level = max(level - boil_off_l_per_day - consumption_l_by_day.get(day, 0.0), 0.0)
        levels.append((day, round(level, 3)))
        if run_out is None and level <= reserve_l:
            run_out = day
    return Forecast(levels_l=tuple(levels), run_out_date=run_out)


@dataclass(frozen=True)
class Interval:
    """Between two level readings with no fill in between: days elapsed, litres lost, sessions held."""

    days: float
    litres_lost: float
    sessions: int


@dataclass(frozen=True)
class Estimate:
    boil_off_l_per_day: float
    litres_per_session: float
    intervals: int
    rms_error_l: float


def estimate_rates(intervals: Sequence[Interval]) -> Estimate:
    """Least squares on litres_lost ≈ boil_off × days + per_session × sessions (both non-negative)."""
    if len(intervals) < 2:
        raise ValueError("at least two intervals between readings are needed")
    a = np.array([[i.days, i.sessions] for i in intervals], dtype=float)
    b = np.array([i.litres_lost for i in intervals], dtype=float)
    if np.linalg.matrix_rank(a) < 2:
        raise ValueError("the intervals cannot separate boil-off from use: include days with and without sessions")
    from scipy.optimize import nnls

    solution, residual = nnls(a, b)
    return Estimate(
        boil_off_l_per_day=float(solution[0]),
        litres_per_session=float(solution[1]),
        intervals=len(intervals),
        rms_error_l=float(residual / np.sqrt(len(intervals))),
    )
