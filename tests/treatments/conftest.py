"""A small world for treatment tests: the demo clinic and a booked appointment today."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling.models import Appointment, Practitioner, Room
from cryoclinic.screening.services import record_consent, record_prerequisite
from cryoclinic.treatments import services


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def practitioner_user(demo):
    return Practitioner.objects.get(user__username="demo-doctor").user


def make_appointment(client: Client, procedure: str = "facial-cryomassage") -> Appointment:
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=30)
    return Appointment.objects.create(
        clinic=current_clinic(), client=client, procedure=procedure,
        practitioner=Practitioner.objects.get(user__username="demo-doctor"), room=Room.objects.first(),
        starts_at=start, ends_at=start + dt.timedelta(minutes=20),
    )


@pytest.fixture
def appointment(demo):
    return make_appointment(Client.objects.order_by("id").first())


@pytest.fixture
def cryo_appointment(demo):
    client = Client.objects.order_by("id")[1]
    today = timezone.localdate()
    record_consent(client, "cryodestruction", language="ru", signed_on=today, by=None, today=today)
    for item in knowledge.get_procedure("cryodestruction").preparation.prerequisites:
        if item.required == "always":
            record_prerequisite(client, "cryodestruction", item.code, today, by=None, today=today)
    return make_appointment(client, "cryodestruction")


def clear_answers(slug: str) -> dict[str, bool]:
    return {c.code: False for c in knowledge.get_procedure(slug).contraindications}


def fill(record, by, *, minutes: int = 15, **details):
    """Everything a complete session needs: the re-screen, the details, every stage, the aftercare."""
    procedure = knowledge.get_procedure(record.procedure)
    services.rescreen(
        record, clear_answers(record.procedure), by=by, today=timezone.localdate(),
        preparation_confirmed=[i.code for i in procedure.preparation.before_the_day],
    )
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=minutes)
    base = {
        "technique": procedure.techniques[0].code, "started_at": start,
        "ended_at": start + dt.timedelta(minutes=minutes), "stages_done": [s.code for s in procedure.protocol_stages],
    }
    if record.procedure == "cryodestruction":
        base |= {"lesion_site": "left forearm", "lesion_size_mm": 4}
    else:
        base |= {"zones": ["forehead", "zygoma"]}
    services.update_session(record, base | details, by=by)
    services.issue_aftercare(record, "ru", by=by)
    return record
