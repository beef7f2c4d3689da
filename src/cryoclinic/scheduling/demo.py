"""Demo courses, so the calendar and the client's course view have something to show. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cryoclinic.clients.models import Client

from . import services
from .models import Clinic, Course
from .planning import TimeWindow

WINDOWS = (
    tuple(TimeWindow(d, dt.time(18), dt.time(21)) for d in range(6)),
    tuple(TimeWindow(d, dt.time(10), dt.time(13)) for d in range(6)),
    tuple(TimeWindow(d, dt.time(14), dt.time(17)) for d in range(6)),
)


def load_demo_courses(clinic: Clinic, clients: list[Client]) -> int:
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    booked = 0
    for client, windows in zip(clients, WINDOWS, strict=False):
        if Course.objects.filter(client=client).exists():
            continue
        services.book_course(
            clinic,
            services.PlanInput(client=client, procedure="facial-cryomassage", start=monday, availability=windows),
            by=None,
        )
        booked += 1
    return booked
