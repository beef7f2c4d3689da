"""Calendar feeds behind revocable tokens, the reception calendar and the client's course view."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import CalendarFeed, Practitioner
from cryoclinic.scheduling.planning import TimeWindow

pytestmark = pytest.mark.django_db
EVENINGS = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))


@pytest.fixture
def course(demo):
    today = timezone.localdate()
    client = Client.objects.order_by("id").first()
    return services.book_course(
        current_clinic(),
        services.PlanInput(
            client=client,
            procedure="facial-cryomassage",
            start=today + dt.timedelta(days=7 - today.weekday()),
            availability=EVENINGS,
        ),
        by=None,
    )


def test_a_client_feed_parses_and_lists_every_session(client, users, course, link_client):
    link_client(course.client_id, users["client"])
    client.force_login(users["client"])
    client.post("/en/account/calendar/", {"action": "issue"})
    feed = CalendarFeed.objects.get(client=course.client, revoked_at__isnull=True)
    client.logout()
    response = client.get(f"/calendar/{feed.token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(events) == 10
    first = min(events, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart") == course.appointments.get(session_number=1).starts_at
    assert "Криомассаж" in str(first.get("summary"))


def test_a_revoked_or_replaced_token_stops_working(client, users, course, link_client):
    link_client(course.client_id, users["client"])
    client.force_login(users["client"])
    client.post("/en/account/calendar/", {"action": "issue"})
    old = CalendarFeed.objects.get(revoked_at__isnull=True).token
    client.post("/en/account/calendar/", {"action": "issue"})
    new = CalendarFeed.objects.get(revoked_at__isnull=True).token
    assert old != new and len(new) >= 40
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    client.post("/en/account/calendar/", {"action": "revoke"})
    assert client.get(f"/calendar/{new}.ics").status_code == 404


def test_a_practitioner_feed_holds_their_sessions_with_the_clients_name(client, users, course):
    practitioner = course.appointments.first().practitioner
    Practitioner.objects.filter(pk=practitioner.pk).update(user=users["practitioner"])
    client.force_login(users["practitioner"])
    client.post("/en/account/calendar/", {"action": "issue"})
    feed = CalendarFeed.objects.get(practitioner=practitioner)
    events = list(Calendar.from_ical(client.get(f"/calendar/{feed.token}.ics").content).walk("VEVENT"))
    assert len(events) == course.appointments.filter(practitioner=practitioner).count()
    assert course.client.full_name in str(events[0].get("summary"))


def test_the_calendar_shows_the_week_by_practitioner_and_by_room(client, users, course):
    client.force_login(users["reception"])
    first = course.appointments.get(session_number=1)
    day = first.starts_at.astimezone(ZoneInfo("Europe/Moscow")).date().isoformat()
    page = client.get(f"/en/staff/calendar/?date={day}&view=week").content.decode()
    assert f'data-appointment="{first.pk}"' in page and course.client.full_name in page
    by_room = client.get(f"/en/staff/calendar/?date={day}&view=week&by=room").content.decode()
    assert first.room.name in by_room and f'data-appointment="{first.pk}"' in by_room
    assert client.get("/en/staff/calendar/?date=yesterday").status_code == 404


def test_the_client_sees_their_own_course(client, users, course, link_client):
    link_client(course.client_id, users["client"])
    client.force_login(users["client"])
    page = client.get("/en/account/courses/").content.decode()
    assert page.count('<li class="status-booked">') == 10
