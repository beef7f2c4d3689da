"""Cancellations are announced (deposits are refunded on them), with whether the clinic's notice was kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.scheduling import services, signals
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    received: list[dict] = []

    def listen(sender, **kwargs):
        received.append(kwargs)

    signals.appointment_cancelled.connect(listen)
    signals.course_cancelled.connect(listen)
    yield received
    signals.appointment_cancelled.disconnect(listen)
    signals.course_cancelled.disconnect(listen)


def _appointment(demo_client: Client, hours_ahead: float, course: Course | None = None) -> Appointment:
    start = timezone.now() + dt.timedelta(hours=hours_ahead)
    return Appointment.objects.create(
        client=demo_client, procedure="facial-cryomassage", practitioner=Practitioner.objects.first(),
        room=Room.objects.first(), starts_at=start, ends_at=start + dt.timedelta(minutes=20), course=course,
    )


def test_a_cancelled_appointment_is_announced_with_the_notice_kept_or_not(demo, heard):
    client = Client.objects.order_by("pk").first()
    assert current_clinic().cancel_notice_hours == 24
    early, late = _appointment(client, 48), _appointment(client, 3)
    services.change_appointment(early, status="cancelled")
    services.change_appointment(late, status="cancelled")
    assert [(h["appointment"].pk, h["within_notice"]) for h in heard] == [(early.pk, True), (late.pk, False)]


def test_a_cancelled_course_is_announced_with_its_sessions(demo, heard):
    client = Client.objects.order_by("pk").first()
    course = Course.objects.create(client=client, procedure="facial-cryomassage", rules={}, knowledge_version="1")
    sessions = [_appointment(client, 72 + 24 * i, course) for i in range(3)]
    services.cancel_course(course, reason="moving away", by=None)
    assert len(heard) == 1 and heard[0]["course"].pk == course.pk and heard[0]["within_notice"] is True
    assert [a.pk for a in heard[0]["appointments"]] == [a.pk for a in sessions]
