"""One open course of a procedure per client at a time: refused by the booking service with the rule and its
source on every path, and by the database itself (a partial unique index with the clinic in it) when two
bookings race."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Appointment, Course
from cryoclinic.scheduling.planning import TimeWindow

MASSAGE = "facial-cryomassage"
EVENINGS = tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6))
MORNINGS = tuple(TimeWindow(d, dt.time(10), dt.time(13)) for d in range(6))


def _monday() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def _payload(client: Client, start: str = "18:00", end: str = "21:00") -> str:
    windows = [{"weekday": d, "start": start, "end": end} for d in range(6)]
    return json.dumps({"client": client.pk, "procedure": MASSAGE, "start": _monday().isoformat(),
                       "availability": windows})


def _book(client: Client, windows: tuple[TimeWindow, ...] = EVENINGS) -> Course:
    request = services.PlanInput(client=client, procedure=MASSAGE, start=_monday(), availability=windows)
    return services.book_course(current_clinic(), request, by=None)


@pytest.mark.django_db
def test_a_second_course_through_the_api_is_a_409_naming_the_rule_and_its_source(client, users, demo):
    record = Client.objects.order_by("id").first()
    client.force_login(users["reception"])
    first = client.post("/api/courses", _payload(record), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert first.status_code == 201, first.content
    second = client.post("/api/courses", _payload(record, "10:00", "13:00"), content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="en")
    assert second.status_code == 409
    error = second.json()["errors"][0]
    assert error["field"] == "procedure"
    assert "one_course_at_a_time" in error["message"] and "seed#course-duration" in error["message"]
    assert f"course #{first.json()['id']}" in error["message"]
    assert Course.objects.filter(client=record).count() == 1
    assert Appointment.objects.filter(client=record).count() == 10


@pytest.mark.django_db
def test_another_procedure_or_another_client_is_not_held_back(demo):
    first, second = Client.objects.order_by("id")[:2]
    _book(first)
    assert _book(second, MORNINGS).status == Course.Status.ACTIVE


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_course_past_the_service(demo):
    record = Client.objects.order_by("id").first()
    Course.objects.create(client=record, procedure=MASSAGE, rules={}, knowledge_version="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.create(client=record, procedure=MASSAGE, rules={}, knowledge_version="1",
                              status=Course.Status.REQUESTED)
    Course.objects.create(client=record, procedure=MASSAGE, rules={}, knowledge_version="1",
                          status=Course.Status.CANCELLED)  # a closed course holds no place


@pytest.mark.django_db
def test_a_cancelled_course_frees_the_place(demo):
    record = Client.objects.order_by("id").first()
    course = _book(record)
    services.cancel_course(course, reason="the client changed their mind", by=None)
    assert _book(record, MORNINGS).status == Course.Status.ACTIVE


@pytest.mark.django_db
def test_a_finished_course_is_completed_and_the_repeat_interval_then_holds(demo):
    """Every session done: the course is completed; a new one is refused by the repeat rule, cited."""
    record = Client.objects.order_by("id").first()
    course = _book(record)
    for appointment in course.appointments.order_by("session_number"):
        Appointment.objects.filter(pk=appointment.pk).update(starts_at=appointment.starts_at - dt.timedelta(days=40),
                                                             ends_at=appointment.ends_at - dt.timedelta(days=40))
    for appointment in course.appointments.order_by("session_number"):
        services.change_appointment(appointment, status=Appointment.Status.DONE)
    course.refresh_from_db()
    assert course.status == Course.Status.COMPLETED
    with pytest.raises(services.NotAllowed) as refused:
        _book(record, MORNINGS)
    assert "repeat_course_too_soon (seed#course-duration)" in str(refused.value)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_bookings_racing_for_the_same_client_make_one_course(demo):
    clinic = current_clinic()
    record = Client.objects.order_by("id").first()
    barrier = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()
    original = services.check_one_course

    def both_pass_the_check(client: Client, procedure: str) -> None:
        original(client, procedure)
        barrier.wait(timeout=20)  # both have seen no open course: only the database can refuse the second

    def book(windows: tuple[TimeWindow, ...]) -> None:
        try:
            with state.activate(clinic):
                request = services.PlanInput(client=record, procedure=MASSAGE, start=_monday(), availability=windows)
                services.book_course(clinic, request, by=None)
            outcome = "booked"
        except services.CourseAlreadyOpen as exc:
            outcome = f"refused: {exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    services.check_one_course = both_pass_the_check  # type: ignore[assignment]
    try:
        threads = [threading.Thread(target=book, args=(w,)) for w in (EVENINGS, MORNINGS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        services.check_one_course = original  # type: ignore[assignment]
    assert sorted(r.split(":")[0] for r in results) == ["booked", "refused"], results
    assert "one_course_at_a_time" in next(r for r in results if r.startswith("refused"))
    assert Course.objects.filter(client=record).count() == 1
    assert Appointment.objects.filter(client=record).count() == 10
