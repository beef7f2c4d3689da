"""Cancelling a whole course while another cancellation or a re-planning of it runs: the course row is locked, so
one waits for the other and a cancelled course never keeps, or gains, a booked session. PostgreSQL only (SQLite
serializes every write anyway)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.db import connections
from django.db.models.signals import post_save
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics import state
from cryoclinic.scheduling import services
from cryoclinic.scheduling.models import Appointment, Course
from cryoclinic.scheduling.planning import TimeWindow

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
HOLD_S = 1.5  # how long the first cancellation keeps its transaction open, for the other to run into it


@pytest.fixture
def course(demo) -> Course:
    today = timezone.localdate()
    booked = services.book_course(
        state.current_clinic(),
        services.PlanInput(
            client=Client.objects.order_by("pk").first(), procedure="facial-cryomassage",
            start=today + dt.timedelta(days=7 - today.weekday()),
            availability=tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6)),
        ),
        by=None,
    )
    booked.appointments.filter(session_number=1).update(status=Appointment.Status.DONE)
    return booked


@pytest.fixture
def held_cancellation() -> Iterator[threading.Event]:
    """The cancellation running in the thread named "first" pauses before it commits, holding its locks."""
    locked = threading.Event()

    def hold(sender: type, instance: Course, **kwargs: object) -> None:
        if threading.current_thread().name == "first":
            locked.set()
            time.sleep(HOLD_S)

    post_save.connect(hold, sender=Course)
    yield locked
    post_save.disconnect(hold, sender=Course)


def _in_thread(name: str, work: Callable[[], object], results: dict[str, object]) -> threading.Thread:
    clinic = state.current_clinic()

    def run() -> None:
        try:
            with state.activate(clinic):  # a new thread starts in no clinic, as a new request would
                results[name] = work()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test compares
            results[name] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_two_cancellations_at_once_cancel_the_course_once(course, held_cancellation):
    results: dict[str, object] = {}
    first = _in_thread("first", lambda: services.cancel_course(course, reason="first", by=None), results)
    assert held_cancellation.wait(10)
    second = _in_thread("second", lambda: services.cancel_course(course, reason="second", by=None), results)
    first.join()
    second.join()
    assert isinstance(results["first"], tuple) and isinstance(results["second"], services.CourseClosed)
    course.refresh_from_db()
    assert course.cancel_reason == "first"


def test_a_re_planning_that_races_a_cancellation_books_nothing(course, held_cancellation):
    results: dict[str, object] = {}
    done = course.appointments.get(session_number=1)
    first = _in_thread("first", lambda: services.cancel_course(course, reason="moved away", by=None), results)
    assert held_cancellation.wait(10)
    replan = _in_thread("replan", lambda: services.replan_rest(course, after=done), results)
    first.join()
    replan.join()
    assert not isinstance(results["replan"], Exception), results["replan"]
    course.refresh_from_db()
    statuses = list(course.appointments.order_by("session_number").values_list("status", flat=True))
    assert course.status == "cancelled" and statuses == ["done"] + ["cancelled"] * 9
