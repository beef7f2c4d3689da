"""Printable consent and aftercare documents (PDF through WeasyPrint), filled from the knowledge base."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.template.loader import render_to_string
from django.utils import translation

from cryoclinic.clients.models import Client
from cryoclinic.clinics.state import current_clinic
from cryoclinic.knowledge import services as knowledge

DocumentKind = Literal["consent", "aftercare"]
KINDS: tuple[DocumentKind, ...] = ("consent", "aftercare")
LANGUAGES = ("ru", "en")


def render_html(client: Client, procedure_slug: str, kind: DocumentKind, language: str, today: dt.date) -> str:
    if kind not in KINDS or language not in LANGUAGES:
        raise ValueError(f"unknown document {kind!r} in {language!r}; documents: {KINDS}, languages: {LANGUAGES}")
    procedure = knowledge.get_procedure(procedure_slug)
    with translation.override(language):
        return render_to_string(
            f"screening/document_{kind}.html",
            {"client": client, "procedure": procedure, "today": today, "clinic": current_clinic(),
             "language": language},
        )


def render_pdf(client: Client, procedure_slug: str, kind: DocumentKind, language: str, today: dt.date) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the document views need

    pdf: bytes = HTML(string=render_html(client, procedure_slug, kind, language, today)).write_pdf()
    return pdf
