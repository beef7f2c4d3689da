"""Consent and aftercare PDFs rendered ahead by the worker: a download reads the stored file; nothing goes stale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.ops import documents
from cryoclinic.scheduling.models import Appointment, Practitioner, Room

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 3, 10)


@pytest.fixture
def booked(demo, private_root) -> Appointment:
    start = timezone.make_aware(dt.datetime.combine(DAY, dt.time(11, 0)))
    return Appointment.objects.create(
        clinic=current_clinic(), client=Client.objects.order_by("id").first(), procedure="facial-cryomassage",
        practitioner=Practitioner.objects.get(user__username="demo-doctor"), room=Room.objects.first(),
        starts_at=start, ends_at=start + dt.timedelta(minutes=20),
    )


def stored(private_root) -> list[str]:
    return sorted(str(p.relative_to(private_root)) for p in private_root.rglob("*.pdf"))


def test_the_worker_renders_the_days_documents_once_and_a_download_reads_them(booked, private_root):
    assert documents.prerender(DAY) == 4  # consent and aftercare, Russian and English
    assert documents.prerender(DAY) == 0
    files = stored(private_root)
    assert len(files) == 4 and all(name.startswith("documents/2027-03-10/") for name in files)
    for name in files:
        (private_root / name).write_bytes(b"%PDF-stored " + name.encode())  # mark them: a read returns the mark
    served = documents.pdf(booked.client, "facial-cryomassage", "consent", "ru", DAY)
    assert served.startswith(b"%PDF-stored documents/2027-03-10/")
    assert stored(private_root) == files


def test_a_changed_record_gets_a_new_document_not_the_stale_one(booked, private_root):
    documents.prerender(DAY)
    Client.objects.filter(pk=booked.client_id).update(full_name="Анна Новая")
    fresh = documents.pdf(Client.objects.get(pk=booked.client_id), "facial-cryomassage", "consent", "ru", DAY)
    assert fresh.startswith(b"%PDF-") and len(stored(private_root)) == 5


def test_documents_older_than_two_days_are_deleted(booked, private_root):
    documents.prerender(DAY)
    assert documents.prune(DAY + dt.timedelta(days=2)) == 0
    assert documents.prune(DAY + dt.timedelta(days=3)) == 4
    assert stored(private_root) == [] and not (private_root / "documents" / "2027-03-10").exists()
