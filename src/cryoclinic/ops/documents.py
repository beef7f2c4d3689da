"""Consent and aftercare PDFs rendered ahead by the worker and kept in private storage: a download is a read.

WeasyPrint takes about a second a document, too long for someone waiting at the desk. A document is stored
under the SHA-256 of its HTML (`documents/<day>/<sha256>.pdf`), so any change to the client, the knowledge base
or the template makes a new name and a stored PDF is never stale. Before the clinic opens the worker renders
both documents, in both languages, for every client booked that day; a download it did not foresee is rendered
once in the request and stored for the next. The files hold health data and are derived: they live in the
private storage (the disk, or S3 shared by every server), are left out of backups and deleted after two days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.core.files.base import ContentFile

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import for_each_clinic
from cryoclinic.scheduling.models import Appointment
from cryoclinic.screening.documents import KINDS, LANGUAGES, DocumentKind, render_html, render_pdf
from cryoclinic.treatments.models import private_storage

DIRECTORY = "documents"
KEEP_DAYS = 2


def _name(today: dt.date, html: str) -> str:
    return f"{DIRECTORY}/{today:%Y-%m-%d}/{hashlib.sha256(html.encode()).hexdigest()}.pdf"


def _ensure(client: Client, slug: str, kind: DocumentKind, language: str, today: dt.date) -> tuple[str, bool]:
    """The stored document's name, rendering and storing it first if needed; True if it was rendered now."""
    storage = private_storage()
    name = _name(today, render_html(client, slug, kind, language, today))
    if storage.exists(name):
        return name, False
    saved = storage.save(name, ContentFile(render_pdf(client, slug, kind, language, today)))
    return saved, True


def pdf(client: Client, slug: str, kind: DocumentKind, language: str, today: dt.date) -> bytes:
    """The document's PDF: the stored one when the worker has rendered it, else rendered now and stored."""
    name, _rendered = _ensure(client, slug, kind, language, today)
    with private_storage().open(name, "rb") as stored:
        data: bytes = stored.read()
    return data


@for_each_clinic(int)
def prerender(day: dt.date) -> int:
    """Render the documents of every client booked on `day` (each procedure, kind and language); idempotent."""
    booked = (
        Appointment.objects.filter(status=Appointment.Status.BOOKED, starts_at__date=day)
        .values_list("client_id", "procedure")
        .distinct()
    )
    rendered = 0
    for client_id, slug in booked:
        client = Client.objects.get(pk=client_id)
        for kind in KINDS:
            for language in LANGUAGES:
                rendered += _ensure(client, slug, kind, language, day)[1]
    return rendered


def prune(today: dt.date) -> int:
    """Delete stored documents of days more than KEEP_DAYS before `today`; returns how many files went."""
    storage = private_storage()
    try:
        days, _files = storage.listdir(DIRECTORY)
    except FileNotFoundError:  # nothing rendered yet (on S3 an absent prefix lists as empty)
        return 0
    removed = 0
    for day in days:
        try:
            stale = dt.date.fromisoformat(day) < today - dt.timedelta(days=KEEP_DAYS)
        except ValueError:
            continue
        if stale:
            _subdirs, names = storage.listdir(f"{DIRECTORY}/{day}")
            for name in names:
                storage.delete(f"{DIRECTORY}/{day}/{name}")
                removed += 1
            _remove_empty_directory(f"{DIRECTORY}/{day}")
    return removed


def _remove_empty_directory(name: str) -> None:
    """On a disk the emptied day's directory goes too (object storage has no directories)."""
    try:
        Path(private_storage().path(name)).rmdir()
    except (NotImplementedError, OSError):
        pass
