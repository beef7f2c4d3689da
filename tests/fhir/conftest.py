"""A realistic record: the demo client with an intake, a consent, a course, a completed (and corrected) session
and a reaction reported at it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.demo import load_demo_courses
from cryoclinic.scheduling.models import Appointment, Practitioner, Room
from cryoclinic.treatments import events, services

MASSAGE = "facial-cryomassage"


@pytest.fixture
def world(demo):
    client = Client.objects.get(user__username="demo-client")
    doctor = Practitioner.objects.get(user__username="demo-doctor")
    clinic = current_clinic()
    load_demo_courses(clinic, [client])
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=40)
    appointment = Appointment.objects.create(
        clinic=clinic, client=client, procedure=MASSAGE, practitioner=doctor, room=Room.objects.first(),
        starts_at=start, ends_at=start + dt.timedelta(minutes=20),
    )
    procedure = knowledge.get_procedure(MASSAGE)
    today = timezone.localdate()
    record = services.open_session(appointment, by=doctor.user)
    services.rescreen(
        record, {c.code: False for c in procedure.contraindications}, by=doctor.user, today=today,
        preparation_confirmed=[i.code for i in procedure.preparation.before_the_day],
    )
    services.update_session(record, {
        "technique": procedure.techniques[0].code, "zones": ["forehead", "zygoma"], "started_at": start,
        "ended_at": start + dt.timedelta(minutes=15), "stages_done": [s.code for s in procedure.protocol_stages],
        "reactions": ["mild_redness"],
    }, by=doctor.user)
    services.issue_aftercare(record, "ru", by=doctor.user)
    event = events.record_adverse_event(
        client, MASSAGE, code="mild_redness", severity="mild", onset_on=today, resolved_on=today,
        appointment=appointment, by=doctor.user, today=today,
    )
    services.complete_session(record, by=doctor.user)
    corrected = services.correct_session(
        record, {"notes": "Кожа спокойная, покраснение прошло за час."}, reason="дописана заметка", by=doctor.user
    )
    return SimpleNamespace(
        client=client, doctor=doctor, appointment=appointment, first=record, corrected=corrected, event=event
    )
