"""Lists cost a bounded number of queries: the same for a few rows as for many, and never more than their bound.

Each page and API list operation is read (from a cold cache) on the demo, then again after every list has grown
by many rows: clients, appointments today, courses, salons with cited prices and leads. A query per row (an N+1)
shows as a count that grows, whatever the bound.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.directory.models import BookingRequest, City, PriceEntry, Salon
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room

pytestmark = pytest.mark.django_db

PROCEDURE = "facial-cryomassage"
GROWTH = 12

# url -> the most queries it may take on SQLite, on PostgreSQL (where every clinic scope entered also sets the
# row-level security's clinic on the connection); session, user, clinic, role checks and audit records included
PUBLIC = {
    "/en/directory/?city=grow-city": (16, 24),  # the search, statistics and live prices computed, the cities
    "/en/procedures/": (2, 2),
    # the clinics that take online bookings and what they offer (PostgreSQL: and the row-level-security scope set
    # around the platform-wide read, 2 statements each way)
    "/en/procedures/facial-cryomassage/": (2, 6),
    "/api/directory/salons?city=grow-city&procedure=facial-cryomassage": (4, 8),
    "/api/directory/cities": (2, 4),
    "/api/directory/stats": (2, 3),
    "/api/clinics": (4, 8),
}
STAFF = {
    "/en/staff/clients/": (11, 17),
    "/en/staff/calendar/": (18, 24),  # with the practitioners offered to the booking form
    "/en/staff/leads/": (10, 16),
    "/api/clients": (9, 13),
    "/api/courses": (10, 14),
    "/api/appointments": (8, 12),
}


def _grow(count: int) -> None:
    """`count` more rows in every list the pages and operations show."""
    clinic = current_clinic()
    practitioner, room = Practitioner.objects.order_by("pk").first(), Room.objects.order_by("pk").first()
    tz = ZoneInfo(clinic.time_zone)
    city, _ = City.objects.get_or_create(slug="grow-city", defaults={"name_en": "Grow", "name_ru": "Рост"})
    run_by_clinic, _ = Salon.objects.get_or_create(city=city, name="Салон клиники", address="ул. Роста, 1",
                                                   defaults={"clinic": clinic})
    base = Client.objects.count()
    day = dt.datetime.combine(timezone.localdate(), dt.time(8), tzinfo=tz)
    taken = Appointment.objects.filter(starts_at__date=timezone.localdate()).count()
    for i in range(base, base + count):
        client = Client.objects.create(full_name=f"Клиентка {i}", phone=f"+7916777{i:04d}")
        course = Course.objects.create(client=client, procedure=PROCEDURE, rules={}, knowledge_version="1")
        starts = day + dt.timedelta(minutes=25 * (taken + i - base))
        Appointment.objects.create(client=client, procedure=PROCEDURE, practitioner=practitioner, room=room,
                                   course=course, session_number=1, starts_at=starts,
                                   ends_at=starts + dt.timedelta(minutes=20))
        salon = Salon.objects.create(city=city, name=f"Салон {i}", address=f"ул. Роста, {i + 2}")
        PriceEntry.objects.create(salon=salon, procedure=PROCEDURE, amount_rub=1000 + i,
                                  source="https://example.org/price-list")
        BookingRequest.objects.create(salon=run_by_clinic, procedure=PROCEDURE, name=f"Лид {i}",
                                      phone=f"+7916888{i:04d}")


def _queries(browser, url: str) -> int:
    cache.clear()  # the cold read: what a cached answer costs when it is computed
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def _check(browser, bounds: dict[str, tuple[int, int]]) -> None:
    browser.get(next(iter(bounds)))  # a session's first request stores its clinic: not a cost of the list
    few = {url: _queries(browser, url) for url in bounds}
    _grow(GROWTH)
    many = {url: _queries(browser, url) for url in bounds}
    assert many == few, "a list's query count grows with its rows"
    column = 1 if connection.vendor == "postgresql" else 0
    over = {url: n for url, n in many.items() if n > bounds[url][column]}
    assert not over, f"over the bound: {over}"


def test_public_pages_and_lists_take_a_bounded_number_of_queries(client, demo):
    _grow(2)
    _check(client, PUBLIC)


def test_staff_lists_take_a_bounded_number_of_queries(client, demo):
    client.force_login(User.objects.get(username="demo-reception"))
    _grow(2)
    _check(client, STAFF)
