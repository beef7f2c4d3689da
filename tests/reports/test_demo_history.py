"""The demo history gives every report something to show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from cryoclinic.clinics.state import current_clinic
from cryoclinic.nitrogen.services import stock
from cryoclinic.reports.assemble import report_table
from cryoclinic.reports.demo import load_demo_history
from cryoclinic.reports.metrics import Period

pytestmark = pytest.mark.django_db


def test_the_demo_history_fills_every_report_and_loads_once(demo):
    assert load_demo_history() == 2
    assert load_demo_history() == 0
    clinic = current_clinic()
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=365), today)
    with translation.override("en"):
        sessions, courses, revenue, nitrogen = (
            report_table(slug, clinic, period) for slug in ("sessions", "courses", "revenue", "nitrogen")
        )
    assert [row[1:4] for row in sessions.rows] == [[10, 1, 0], [4, 1, 2]]
    assert len(courses.rows) == 2 and len(courses.page_rows) == 1  # the finished course has a 5-day gap
    assert revenue.rows == [["Facial cryomassage with liquid nitrogen", 14, 14 * 990, 0]]
    assert len(nitrogen.rows) >= 5
    assert stock(nitrogen_dewar()).forecast is not None


def nitrogen_dewar():
    from cryoclinic.nitrogen.models import Dewar

    return Dewar.objects.get()
