"""What the reminders command puts in the outbox: the day before each session, the repeat course, the fading result.

Each message has a key built from what it is about, so running the command again adds nothing; a moved
session gets a new reminder because its time is part of the key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cryoclinic.clinics.state import for_each_clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.notifications.models import Channel
from cryoclinic.notifications.services import enqueue
from cryoclinic.screening.engine import add_months

from .models import Appointment, Course


@dataclass
class Filled:
    session_reminders: int = 0
    repeat_course: int = 0
    result_fading: int = 0

    def __add__(self, other: Filled) -> Filled:
        return Filled(
            self.session_reminders + other.session_reminders,
            self.repeat_course + other.repeat_course,
            self.result_fading + other.result_fading,
        )


def _send_to(client, key: str, kind: str, subject: str, body: str, due_at: dt.datetime) -> int:  # type: ignore[no-untyped-def]
    created = 0
    if client.email:
        created += enqueue(
            key=f"{key}:email",
            kind=kind,
            channel=Channel.EMAIL,
            recipient=client.email,
            subject=subject,
            body=body,
            due_at=due_at,
            client_id=client.pk,
        )[1]
    if client.phone:
        created += enqueue(
            key=f"{key}:sms",
            kind=kind,
            channel=Channel.SMS,
            recipient=client.phone,
            body=body,
            due_at=due_at,
            client_id=client.pk,
        )[1]
    return created


@for_each_clinic(Filled)
def fill_outbox(now: dt.datetime | None = None) -> Filled:
    """The active clinic's due reminders (every clinic's, outside one). Idempotent."""
    now = now or timezone.now()
    filled = Filled()
    with translation.override("ru"):
        upcoming = Appointment.objects.filter(
            status=Appointment.Status.BOOKED, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=2)
        ).select_related("client", "clinic", "practitioner", "room")
        for a in upcoming:
            tz = ZoneInfo(a.clinic.time_zone)
            local = a.starts_at.astimezone(tz)
            if local.date() != (now.astimezone(tz) + dt.timedelta(days=1)).date():
                continue
            body = _("Reminder: %(procedure)s tomorrow at %(time)s, %(clinic)s, %(address)s.") % {
                "procedure": knowledge.get_procedure(a.procedure).name.get("ru"),
                "time": f"{local:%H:%M}",
                "clinic": a.clinic.name,
                "address": a.clinic.address,
            }
            filled.session_reminders += _send_to(
                a.client,
                f"session-reminder:{a.pk}:{a.starts_at:%Y%m%dT%H%M}",
                "session_reminder",
                _("Your session tomorrow"),
                body,
                now,
            )
        for course in Course.objects.filter(status__in=[Course.Status.ACTIVE, Course.Status.COMPLETED]).select_related(
            "client"
        ):
            last = course.appointments.filter(status=Appointment.Status.DONE).order_by("-starts_at").first()
            if last is None or course.appointments.filter(status=Appointment.Status.BOOKED).exists():
                continue
            procedure = knowledge.get_procedure(course.procedure)
            ended = last.starts_at.date()
            lasts = procedure.course.result_lasts_months
            if lasts is not None and add_months(ended, lasts.value) <= now.date():
                body = _(
                    "About %(months)s month after a course the effect of %(procedure)s usually fades "
                    "(source: %(source)s). You may book supporting sessions."
                ) % {
                    "months": lasts.value,
                    "procedure": procedure.name.get("ru"),
                    "source": knowledge.sources().label(lasts.source, "ru", short=True),
                }
                filled.result_fading += _send_to(
                    course.client, f"result-fading:{course.pk}", "result_fading", _("Your course result"), body, now
                )
            repeat = procedure.course.repeat_course_min_months
            if repeat is not None and add_months(ended, repeat.value) <= now.date():
                newer = Course.objects.filter(
                    client=course.client, procedure=course.procedure, created_at__gt=course.created_at
                ).exists()
                if not newer:
                    body = _(
                        "%(months)s months have passed since your course of %(procedure)s: a repeat course "
                        "is now possible (source: %(source)s)."
                    ) % {
                        "months": repeat.value,
                        "procedure": procedure.name.get("ru"),
                        "source": knowledge.sources().label(repeat.source, "ru", short=True),
                    }
                    filled.repeat_course += _send_to(
                        course.client,
                        f"repeat-course:{course.pk}",
                        "repeat_course",
                        _("A repeat course is possible"),
                        body,
                        now,
                    )
    return filled
