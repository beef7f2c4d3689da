"""What the client's treatment history tells screening. Imports only this app's models, so scheduling and
screening views may use it without an import cycle."""

from __future__ import annotations

from cryoclinic.clients.models import Client

from .models import AdverseEvent


def adverse_event_codes(client: Client, procedure_slug: str) -> list[str]:
    """The codes of every adverse event reported for the client and the procedure (earliest first, distinct)."""
    codes = AdverseEvent.objects.filter(client=client, procedure=procedure_slug).order_by("onset_on", "id")
    return list(dict.fromkeys(codes.values_list("code", flat=True)))
