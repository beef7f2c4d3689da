"""Booking a course against the database: screening first, all or nothing, no overlaps, re-planning."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Appointment, ClosedDay, Course, Practitioner, Room
from cryoclinic.scheduling.planning import PlannedSession, TimeWindow

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
EVENINGS = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))


def _next_monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(demo):
    clinic = current_clinic()
    eligible = Client.objects.order_by("id").first()  # screened and consented by the demo
    return clinic, eligible


def _request(client: Client, **kw) -> services.PlanInput:
    return services.PlanInput(
        **(
            {"client": client, "procedure": "facial-cryomassage", "start": _next_monday(), "availability": EVENINGS}
            | kw
        )
    )


def test_a_course_is_booked_whole_under_the_snapshotted_rules(world):
    clinic, client = world
    course = services.book_course(clinic, _request(client), by=None)
    sessions = list(course.appointments.order_by("session_number"))
    assert [a.session_number for a in sessions] == list(range(1, 11))
    assert course.rules == {"sessions": 10, "min_gap_days": 2, "max_gap_days": 3, "session_duration_min": 20}
    days = [a.starts_at.astimezone(MOSCOW).date() for a in sessions]
    assert all(2 <= (b - a).days <= 3 for a, b in zip(days, days[1:], strict=False))


def test_screening_must_allow_the_course(world):
    clinic, _ = world
    epileptic = Client.objects.order_by("id").last()  # the demo's contraindicated client
    with pytest.raises(services.NotAllowed, match="contraindication"):
        services.book_course(clinic, _request(epileptic), by=None)
    assert not Course.objects.exists() and not Appointment.objects.exists()


def test_a_clash_is_refused_naming_it_and_nothing_of_the_course_is_written(world):
    clinic, client = world
    other = Client.objects.order_by("id")[1]
    practitioner, room = Practitioner.objects.first(), Room.objects.first()
    start = dt.datetime.combine(_next_monday(), dt.time(18), tzinfo=MOSCOW)
    Appointment.objects.create(
        clinic=clinic,
        client=other,
        procedure="facial-cryomassage",
        practitioner=practitioner,
        room=room,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=20),
    )
    planned = [
        PlannedSession(
            i,
            start + dt.timedelta(days=2 * (i - 1)),
            start + dt.timedelta(days=2 * (i - 1), minutes=20),
            practitioner.pk,
            room.pk,
        )
        for i in range(1, 11)
    ][::-1]
    with pytest.raises(services.BookingConflict, match=r"already booked .* \(appointment #\d+\)"):
        services.book_course(clinic, _request(client), by=None, sessions=planned)
    assert Course.objects.count() == 0 and Appointment.objects.count() == 1


def test_cancelling_a_session_replans_the_rest_within_the_interval(world):
    clinic, client = world
    course = services.book_course(clinic, _request(client), by=None)
    third = course.appointments.get(session_number=3)
    services.change_appointment(third, status="cancelled")
    live = list(course.appointments.exclude(status="cancelled").order_by("session_number"))
    assert [a.session_number for a in live] == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    second, fourth = live[1].starts_at.astimezone(MOSCOW).date(), live[2].starts_at.astimezone(MOSCOW).date()
    assert 2 <= (fourth - second).days <= 3
    course.refresh_from_db()
    assert course.status == "active"


def test_when_the_interval_cannot_be_kept_the_course_is_flagged_and_staff_decide(world, users):
    clinic, client = world
    course = services.book_course(clinic, _request(client), by=None)
    second = course.appointments.get(session_number=2)
    day = second.starts_at.astimezone(MOSCOW).date()
    for offset in range(1, 5):
        ClosedDay.objects.create(clinic=clinic, date=day + dt.timedelta(days=offset), reason="ремонт")
    services.change_appointment(second, status="no_show")
    course.refresh_from_db()
    assert course.status == "flagged" and "Session 3" in course.flag_reason
    assert course.appointments.filter(status="booked").count() == 9  # nothing is thrown away until staff decide
    services.decide(course, "restart", by=users["reception"])
    course.refresh_from_db()
    assert (course.status, course.decision, course.decided_by) == ("cancelled", "restart", users["reception"])
    assert not course.appointments.filter(status="booked").exists()


def test_moving_onto_a_taken_slot_is_a_conflict(world):
    clinic, client = world
    course = services.book_course(clinic, _request(client), by=None)
    first, second = course.appointments.order_by("session_number")[:2]
    other = Client.objects.order_by("id")[1]
    blocker = Appointment.objects.create(
        clinic=clinic,
        client=other,
        procedure="facial-cryomassage",
        practitioner=first.practitioner,
        room=Room.objects.exclude(pk=first.room_id).first(),
        starts_at=first.starts_at + dt.timedelta(hours=1),
        ends_at=first.starts_at + dt.timedelta(hours=1, minutes=20),
    )
    with pytest.raises(services.BookingConflict, match=f"#{blocker.pk}"):
        services.change_appointment(first, starts_at=blocker.starts_at)
    first.refresh_from_db()
    assert first.starts_at != blocker.starts_at


def test_a_procedure_without_course_rules_cannot_be_planned_as_a_course(world):
    clinic, client = world
    with pytest.raises(services.SchedulingError, match="no course rules"):
        services.plan(clinic, _request(client, procedure="cryodestruction"))


def test_planning_loads_only_the_bookings_a_course_can_reach(world):
    clinic, client = world
    start = _next_monday()
    near = services.book_course(clinic, _request(client), by=None)
    far_client = Client.objects.order_by("id")[1]
    far = services.book_course(clinic, _request(far_client, start=start + dt.timedelta(days=200)), by=None)
    rules = services.course_rules("facial-cryomassage")
    seen = services.busy(clinic, start=start, rules=rules)
    assert len(seen) == 2 * near.appointments.count()  # a practitioner and a room entry per session
    assert len(services.busy(clinic)) == 2 * (near.appointments.count() + far.appointments.count())
    # a second course starting the same day still plans around the first one
    other = Client.objects.order_by("id")[2]
    second = services.book_course(clinic, _request(other), by=None)
    assert second.appointments.count() == 10


def test_booking_a_course_reads_and_writes_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    """Ten sessions cost one clash check and one insert, not ten of each: booking a later course (with the first
    one's sessions in its way) costs no more queries than the first."""
    clinic, client = world
    services.book_course(clinic, _request(client), by=None)
    other = Client.objects.order_by("id")[1]
    with django_assert_max_num_queries(BOOKING_QUERIES):
        course = services.book_course(clinic, _request(other), by=None)
    assert course.appointments.count() == 10


BOOKING_QUERIES = 20  # screening (intake, consent, prerequisites, history), the client's open courses (one at a
# time), the bookings in reach, the course (in its own savepoint: a lost race is the one-course rule's refusal),
# the price, one clash check, one insert of every session, two same-clinic checks and the savepoints around them;
# the clinic's planning data and knowledge items come from the cache
