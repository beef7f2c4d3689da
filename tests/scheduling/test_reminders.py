"""The reminders command fills the outbox once per event, at the right time, citing the course rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.notifications.models import OutboxMessage
from cryoclinic.scheduling.models import Appointment, Course, Practitioner, Room
from cryoclinic.scheduling.reminders import fill_outbox

pytestmark = pytest.mark.django_db
MOSCOW = ZoneInfo("Europe/Moscow")


@pytest.fixture
def world(demo):
    return (
        current_clinic(),
        Client.objects.order_by("id").first(),
        Practitioner.objects.first(),
        Room.objects.first(),
    )


def _appointment(world, start, status="booked", course=None):
    clinic, client, practitioner, room = world
    return Appointment.objects.create(
        clinic=clinic,
        client=client,
        procedure="facial-cryomassage",
        practitioner=practitioner,
        room=room,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=20),
        status=status,
        course=course,
    )


def test_the_day_before_a_session_one_email_and_one_sms_are_queued_once(world):
    now = dt.datetime(2026, 12, 1, 10, tzinfo=MOSCOW)
    tomorrow = _appointment(world, dt.datetime(2026, 12, 2, 18, 30, tzinfo=MOSCOW))
    _appointment(world, dt.datetime(2026, 12, 4, 18, 30, tzinfo=MOSCOW))  # not tomorrow: nothing yet
    assert fill_outbox(now).session_reminders == 2
    assert fill_outbox(now).session_reminders == 0
    messages = OutboxMessage.objects.filter(kind="session_reminder")
    assert {m.channel for m in messages} == {"email", "sms"}
    assert "18:30" in messages.first().body
    tomorrow.starts_at += dt.timedelta(hours=1)  # a moved session is reminded again at its new time
    tomorrow.ends_at += dt.timedelta(hours=1)
    tomorrow.save()
    assert fill_outbox(now).session_reminders == 2


def test_result_fading_after_a_month_and_repeat_course_after_six(world):
    clinic, client, *_ = world
    course = Course.objects.create(
        clinic=clinic, client=client, procedure="facial-cryomassage", rules={}, knowledge_version="x"
    )
    _appointment(world, dt.datetime(2026, 6, 1, 18, tzinfo=MOSCOW), status="done", course=course)
    early = fill_outbox(dt.datetime(2026, 6, 20, 10, tzinfo=MOSCOW))
    assert (early.result_fading, early.repeat_course) == (0, 0)
    month = fill_outbox(dt.datetime(2026, 7, 2, 10, tzinfo=MOSCOW))
    assert (month.result_fading, month.repeat_course) == (2, 0)
    half_year = fill_outbox(dt.datetime(2026, 12, 1, 10, tzinfo=MOSCOW))
    assert (half_year.result_fading, half_year.repeat_course) == (0, 2)
    body = OutboxMessage.objects.filter(kind="repeat_course").first().body
    assert "6" in body and "статья-источник" in body


def test_the_command_reports_its_counts(world, capsys):
    call_command("fill_outbox")
    assert "session reminders" in capsys.readouterr().out
