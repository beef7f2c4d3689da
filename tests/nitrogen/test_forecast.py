"""The stock arithmetic against hand-computed examples."""

from __future__ import annotations

import datetime as dt

import pytest

from cryoclinic.nitrogen.forecast import Interval, estimate_rates, forecast_levels

MON = dt.date(2026, 11, 30)


def test_run_out_date_matches_the_hand_computed_example():
    # 20 L at the start of Monday, 0.5 L/day boil-off, four sessions of 0.5 L every day, reserve 2 L:
    # the level falls 2.5 L a day: 17.5, 15, 12.5, 10, 7.5, 5, 2.5 (Sunday), 0 (next Monday) → run out on day 8.
    daily = {MON + dt.timedelta(days=d): 4 * 0.5 for d in range(30)}
    forecast = forecast_levels(level_l=20, start=MON, boil_off_l_per_day=0.5, consumption_l_by_day=daily, reserve_l=2)
    assert [level for _, level in forecast.levels_l[:8]] == [17.5, 15, 12.5, 10, 7.5, 5, 2.5, 0]
    assert forecast.run_out_date == MON + dt.timedelta(days=7)
    assert forecast.refill_by(2) == MON + dt.timedelta(days=5)


def test_a_day_without_sessions_loses_only_the_boil_off():
    forecast = forecast_levels(
        level_l=10,
        start=MON,
        boil_off_l_per_day=0.25,
        consumption_l_by_day={MON + dt.timedelta(days=1): 3.0},
        reserve_l=1,
        horizon_days=3,
    )
    assert [level for _, level in forecast.levels_l] == [9.75, 6.5, 6.25]
    assert forecast.run_out_date is None
    assert forecast.refill_by(2) is None


def test_reaching_exactly_the_reserve_counts_as_run_out():
    forecast = forecast_levels(level_l=3, start=MON, boil_off_l_per_day=1, consumption_l_by_day={}, reserve_l=1)
    assert forecast.run_out_date == MON + dt.timedelta(days=1)


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        forecast_levels(level_l=3, start=MON, boil_off_l_per_day=-1, consumption_l_by_day={}, reserve_l=1)


def test_rates_are_recovered_from_readings_made_with_known_rates():
    boil_off, per_session = 0.3, 0.45
    spans = [(1, 0), (2, 6), (1, 4), (3, 9), (1, 0), (2, 5)]
    intervals = [Interval(days=d, litres_lost=boil_off * d + per_session * s, sessions=s) for d, s in spans]
    estimate = estimate_rates(intervals)
    assert estimate.boil_off_l_per_day == pytest.approx(boil_off, abs=1e-9)
    assert estimate.litres_per_session == pytest.approx(per_session, abs=1e-9)
    assert estimate.rms_error_l == pytest.approx(0, abs=1e-9)


def test_readings_that_cannot_separate_boil_off_from_use_are_refused():
    same_ratio = [Interval(days=1, litres_lost=1.0, sessions=2), Interval(days=2, litres_lost=2.0, sessions=4)]
    with pytest.raises(ValueError, match="cannot separate"):
        estimate_rates(same_ratio)
    with pytest.raises(ValueError, match="at least two"):
        estimate_rates(same_ratio[:1])
