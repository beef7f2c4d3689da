"""A client's own changes to their sessions, online: cancel or move one, only while the clinic's notice allows.

- The notice is the clinic's `cancel_notice_hours` before the session starts (`services.within_notice`); past
  it nothing changes online, and the refusal names the clinic's phone to call.
- A move goes to a time at least the notice ahead too (a client cannot move a session into the closed window).
- Both go through `services.change_appointment`, exactly as a staff change: overlaps are refused there and by the
  database, a course's later sessions are re-planned, and a cancellation sends `signals.appointment_cancelled`.
- Only the client's own sessions in the clinic the request acts for are reachable (the caller looks them up
  through `own_appointments`); another clinic's or another client's is not found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cryoclinic.clients.models import client_of
from cryoclinic.clients.phones import format_phone

from . import services
from .models import Appointment


class PastNotice(Exception):
    """Too close to the session to change it online; the message says whom to call."""

    def __init__(self, appointment: Appointment, field: str) -> None:
        clinic = appointment.clinic
        super().__init__(
            _(
                "Less than %(hours)s hours before the session it can no longer be changed online. "
                "Please call %(clinic)s: %(phone)s."
            )
            % {"hours": clinic.cancel_notice_hours, "clinic": clinic.name, "phone": format_phone(clinic.phone)}
        )
        self.field = field


def own_appointments(user: Any) -> QuerySet[Appointment]:
    """The signed-in client's sessions in the active clinic (none for anyone else)."""
    client = client_of(user)
    return Appointment.objects.filter(client=client) if client else Appointment.objects.none()


def may_change_online(appointment: Appointment, *, now: dt.datetime | None = None) -> bool:
    return appointment.status == Appointment.Status.BOOKED and services.within_notice(appointment, now=now)


def _check(appointment: Appointment, field: str, now: dt.datetime | None) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        raise services.SchedulingError(field, _("Only a booked session can be changed."))
    if not services.within_notice(appointment, now=now):
        raise PastNotice(appointment, field)


def cancel_own(appointment: Appointment, *, by: Any, now: dt.datetime | None = None) -> Appointment:
    _check(appointment, "status", now)
    return services.change_appointment(appointment, status=Appointment.Status.CANCELLED, by=by)


def move_own(
    appointment: Appointment, starts_at: dt.datetime, *, by: Any, now: dt.datetime | None = None
) -> Appointment:
    _check(appointment, "starts_at", now)
    notice = dt.timedelta(hours=appointment.clinic.cancel_notice_hours)
    if starts_at - (now or timezone.now()) < notice:
        raise services.SchedulingError(
            "starts_at",
            _("Choose a time at least %(hours)s hours from now.") % {"hours": appointment.clinic.cancel_notice_hours},
        )
    return services.change_appointment(appointment, starts_at=starts_at, by=by)
