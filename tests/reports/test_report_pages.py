"""The reports page and its CSV downloads over a small clinic history: content, formats, errors, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest

from cryoclinic.accounts.models import AuditEvent
from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.nitrogen.models import ConsumptionRate, Dewar, LevelReading
from cryoclinic.reports import queries
from cryoclinic.reports.metrics import AdverseEventRecord
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")
RANGE = "from=2026-10-01&to=2026-10-31"
SVG = "{http://www.w3.org/2000/svg}"
RULES = {"sessions": 10, "min_gap_days": 2, "max_gap_days": 3, "session_duration_min": 20}


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=MOSCOW)


@pytest.fixture
def history(demo) -> Course:
    """Анна: a course done on 5, 7, 9 October, missed on the 12th, done on the 14th (a 5-day gap), one session
    still booked; Ирина: a cryodestruction done on 8 October without a price, one cancelled on the 9th.
    A vessel filled to 30 L on 5 October and read at 24 L on the 10th, boil-off 0.5 L/day, 0.5 L a cryomassage."""
    clinic = current_clinic()
    anna = Practitioner.objects.get(display_name="Анна Морозова")
    irina = Practitioner.objects.get(display_name="Ирина Снегова")
    room = Room.objects.first()
    first, second = Client.objects.order_by("pk")[:2]
    course = Course.objects.create(
        clinic=clinic, client=first, procedure="facial-cryomassage", rules=RULES, knowledge_version="test"
    )
    sessions = [(10, 5, "done"), (10, 7, "done"), (10, 9, "done"), (10, 12, "no_show"), (10, 14, "done"),
                (11, 30, "booked")]
    for number, (month, day, status) in enumerate(sessions, start=1):
        Appointment.objects.create(
            clinic=clinic, client=first, procedure="facial-cryomassage", practitioner=anna, room=room, course=course,
            session_number=number, starts_at=_at(month, day), ends_at=_at(month, day) + dt.timedelta(minutes=20),
            status=status, price_rub=990,
        )
    for day, status in ((8, "done"), (9, "cancelled")):
        Appointment.objects.create(
            clinic=clinic, client=second, procedure="cryodestruction", practitioner=irina, room=room,
            starts_at=_at(10, day, 15), ends_at=_at(10, day, 15) + dt.timedelta(minutes=30), status=status,
        )
    dewar = Dewar.objects.create(
        clinic=clinic, name="СДС-35", capacity_l=35, boil_off_l_per_day="0.5", boil_off_source="test"
    )
    LevelReading.objects.create(dewar=dewar, at=_at(10, 5, 8), kind="fill", level_l=30)
    LevelReading.objects.create(dewar=dewar, at=_at(10, 10, 8), kind="reading", level_l=24)
    ConsumptionRate.objects.create(
        clinic=clinic, procedure="facial-cryomassage", litres_per_session="0.5", provenance="clinic_measured",
        source="test",
    )
    return course


@pytest.fixture
def admin_client(client, users):
    client.force_login(users["admin"])
    return client


def _csv(response, delimiter: str) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


def test_sessions_csv_in_english_counts_done_no_shows_and_cancellations(admin_client, history):
    response = admin_client.get(f"/en/staff/reports/sessions.csv?{RANGE}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cryoclinic-sessions-20261001-20261031-en.csv"'
    assert _csv(response, ",") == [
        ["Practitioner", "Done", "No-shows", "Cancelled", "No-shows per 100 expected visits"],
        ["Анна Морозова", "4", "1", "0", "20.00"],
        ["Ирина Снегова", "1", "0", "1", "0.00"],
    ]


def test_russian_csv_uses_semicolons_and_the_decimal_comma_for_excel(admin_client, history):
    rows = _csv(admin_client.get(f"/ru/staff/reports/sessions.csv?{RANGE}"), ";")
    assert rows[1] == ["Анна Морозова", "4", "1", "0", "20,00"]


def test_courses_csv_lists_every_course_with_the_gaps_outside_the_rule(admin_client, history):
    rows = _csv(admin_client.get(f"/en/staff/reports/courses.csv?{RANGE}"), ",")
    assert rows[1] == [
        str(history.pk), "Facial cryomassage with liquid nitrogen", "10", "4", "in progress", "2–3", "3", "2",
        "09.10.2026→14.10.2026 (5)",
    ]


def test_revenue_csv_sums_booked_prices_and_counts_unpriced_sessions(admin_client, history):
    rows = _csv(admin_client.get(f"/en/staff/reports/revenue.csv?{RANGE}"), ",")
    assert rows[1:] == [
        ["Facial cryomassage with liquid nitrogen", "4", "3960", "0"],
        ["Cryodestruction of skin neoplasms and warts", "1", "0", "1"],
    ]


def test_nitrogen_csv_compares_litres_used_with_the_forecast(admin_client, history):
    # 5 days × 0.5 L boil-off + 3 cryomassages × 0.5 L = 4.0 L forecast; 30 − 24 = 6.0 L used; the
    # cryodestruction on the 8th has no rate.
    rows = _csv(admin_client.get(f"/en/staff/reports/nitrogen.csv?{RANGE}"), ",")
    assert rows[1] == ["СДС-35", "2026-10-05", "2026-10-10", "5.00", "6.00", "4.00", "2.00", "4", "1"]


def test_the_page_shows_every_report_with_well_formed_svg_charts(admin_client, history):
    page = admin_client.get(f"/en/staff/reports/?{RANGE}").content.decode()
    for slug in ("sessions", "courses", "revenue", "nitrogen"):
        assert f'data-report="{slug}"' in page and f"/en/staff/reports/{slug}.csv?{RANGE}" in page.replace("&amp;", "&")
    assert 'data-report="adverse-events"' in page  # from the treatments' events: none in this history
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.S)
    assert len(svgs) == 4
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title") is not None and root.findall(f"{SVG}g")
    assert "Completion of ended courses: —." in page  # the only course is still under way
    assert "09.10.2026→14.10.2026 (5)" in page


def test_the_page_is_russian_by_default(admin_client, history):
    page = admin_client.get(f"/ru/staff/reports/?{RANGE}").content.decode()
    assert "Отчёты" in page and "Выручка по процедурам" in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-01", "from", "is not a date"),
        ("to=yesterday", "to", "is not a date"),
        ("from=2026-11-01&to=2026-10-01", "from", "on or before the end date"),
        ("from=2020-01-01&to=2026-10-01", "from", "at most three years"),
    ],
)
def test_a_bad_date_range_is_a_clear_422_not_a_500(admin_client, history, query, field, message):
    page = admin_client.get(f"/en/staff/reports/?{query}")
    assert page.status_code == 422
    assert f'data-field="{field}"' in page.content.decode() and message in page.content.decode()
    download = admin_client.get(f"/en/staff/reports/sessions.csv?{query}")
    assert download.status_code == 422 and download.content.decode().startswith(f"{field}:")


def test_an_unknown_report_is_a_404(admin_client, history):
    assert admin_client.get("/en/staff/reports/salaries.csv").status_code == 404


def test_reports_with_health_data_are_audit_logged(admin_client, history):
    admin_client.get(f"/en/staff/reports/sessions.csv?{RANGE}")
    assert not AuditEvent.objects.filter(subject_type="reports.report").exists()
    admin_client.get(f"/en/staff/reports/courses.csv?{RANGE}")
    admin_client.get(f"/en/staff/reports/?{RANGE}")
    events = AuditEvent.objects.filter(subject_type="reports.report").order_by("id")
    assert [(e.action, e.subject_id, e.detail) for e in events] == [
        ("export", "courses", "2026-10-01..2026-10-31"),
        ("view", "courses,adverse-events", "2026-10-01..2026-10-31"),
    ]


def test_a_plugged_in_adverse_event_query_adds_its_report(admin_client, history, monkeypatch):
    def events(clinic, period):
        return [AdverseEventRecord("Анна Морозова", "mild_redness", dt.date(2026, 10, 7))]

    monkeypatch.setattr(queries, "ADVERSE_EVENT_QUERY", events)
    page = admin_client.get(f"/en/staff/reports/?{RANGE}").content.decode()
    assert 'data-report="adverse-events"' in page and "Mild redness" in page
    rows = _csv(admin_client.get(f"/en/staff/reports/adverse-events.csv?{RANGE}"), ",")
    assert rows[1:] == [["whole clinic", "Mild redness", "1", "5", "20.00"],
                        ["Анна Морозова", "Mild redness", "1", "4", "25.00"]]
    assert AuditEvent.objects.filter(action="export", subject_id="adverse-events").count() == 1
