"""A demo appointment today with the demo doctor, ready to be run as a session. Idempotent; fictional people."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.scheduling.models import Appointment, Clinic, Practitioner, Room

PROCEDURE = "facial-cryomassage"
DURATION = dt.timedelta(minutes=20)


def load_demo_session(clinic: Clinic, client: Client) -> Appointment | None:
    """Today's appointment for `client` with the demo doctor (or the first practitioner): the first free slot
    from 09:00, every 30 minutes."""
    practitioners = Practitioner.objects.filter(clinic=clinic).order_by("id")
    practitioner = practitioners.filter(user__username="demo-doctor").first() or practitioners.first()
    if practitioner is None:
        return None
    tz = ZoneInfo(clinic.time_zone)
    today = timezone.localdate(timezone=tz)
    day_start = dt.datetime.combine(today, dt.time(0), tzinfo=tz)
    mine = Appointment.objects.filter(
        client=client, practitioner=practitioner, procedure=PROCEDURE, starts_at__gte=day_start,
        starts_at__lt=day_start + dt.timedelta(days=1),
    ).exclude(status=Appointment.Status.CANCELLED)
    if mine.exists():
        return mine.first()
    live = Appointment.objects.exclude(status=Appointment.Status.CANCELLED)
    for room in Room.objects.filter(clinic=clinic):
        for slot in range(24):
            start = dt.datetime.combine(today, dt.time(9), tzinfo=tz) + dt.timedelta(minutes=30 * slot)
            end = start + DURATION
            clash = live.filter(starts_at__lt=end, ends_at__gt=start).filter(practitioner=practitioner) | live.filter(
                starts_at__lt=end, ends_at__gt=start, room=room
            )
            if not clash.exists():
                return Appointment.objects.create(
                    clinic=clinic, client=client, procedure=PROCEDURE, practitioner=practitioner, room=room,
                    starts_at=start, ends_at=end,
                )
    return None
