"""The reports' date range from the query string: ISO dates, both ends included, with clear refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.utils.translation import gettext as _

from .metrics import Period

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _date(params: Mapping[str, str], field: str, default: dt.date) -> dt.date:
    raw = (params.get(field) or "").strip()
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise PeriodError(field, _("“%(value)s” is not a date: use YYYY-MM-DD.") % {"value": raw[:20]}) from exc


def parse_period(params: Mapping[str, str], today: dt.date) -> Period:
    """`from` and `to` (YYYY-MM-DD); by default the last 90 days up to today."""
    end = _date(params, "to", today)
    start = _date(params, "from", end - dt.timedelta(days=DEFAULT_DAYS - 1))
    if start > end:
        raise PeriodError("from", _("The start date must be on or before the end date."))
    if (end - start).days >= MAX_DAYS:
        raise PeriodError("from", _("Choose a range of at most three years."))
    return Period(start, end)
