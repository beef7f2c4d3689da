"""What is held about a person, their copy of it, and the erasure they may ask for (152-FZ).

- A person sees and downloads everything held about them: their account (the platform's) and, for every clinic
  they are a client of, that clinic's record as the FHIR export builds it. Each clinic's read is audit-logged in
  that clinic's log.
- Asking for deletion files one request with each of those clinics; the clinic's admin carries it out. Carrying
  it out erases what is personal and not medical: the contact details, the link to the account, calendar links,
  the messages' recipients and texts; when no clinic holds the person any more, the account itself. The medical
  record (name and date of birth that identify it, intake, consent, sessions, reactions, adverse events) stays:
  a medical organisation must keep its medical documentation (323-FZ, art. 79 part 1 item 12), and the consent
  to processing may be withdrawn only with processing continuing where the law itself grounds it (152-FZ, art. 9
  part 2). Sources: README, "Accounts".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cryoclinic.accounts import audit
from cryoclinic.accounts.models import PhoneNumber
from cryoclinic.clients.models import Client, DeletionRequest
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.services import clinics_of


class ErasureError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class HeldByClinic:
    clinic: Clinic
    client: Client
    counts: dict[str, int]
    pending_deletion: bool


def _counts(client: Client) -> dict[str, int]:
    return {
        "courses": client.courses.count(),
        "appointments": client.appointments.count(),
        "intake": client.intakes.count(),
        "consents": client.consents.count(),
    }


def account_data(user: User) -> dict[str, Any]:
    """The platform's own data about the person: the account and its proved contacts."""
    from allauth.account.models import EmailAddress

    phone = PhoneNumber.objects.filter(user_id=user.pk).first()
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "date_joined": user.date_joined.isoformat(),
        "emails": [
            {"email": row.email, "verified": row.verified}
            for row in EmailAddress.objects.filter(user_id=user.pk).order_by("pk")
        ],
        "phone": {"phone": phone.phone, "verified": phone.verified_at is not None} if phone else None,
    }


def held_by_clinics(user: User, request: HttpRequest | None = None) -> list[HeldByClinic]:
    """Each clinic's record of the person, read inside that clinic's scope (and logged there)."""
    held = []
    for clinic in clinics_of(user):
        with state.activate(clinic):
            client = Client.objects.filter(user_id=user.pk).first()
            if client is None:
                continue
            audit.record(user, "view", client, request=request, detail="my data: everything held")
            pending = client.deletion_requests.filter(status=DeletionRequest.Status.PENDING).exists()
            held.append(HeldByClinic(clinic, client, _counts(client), pending))
    return held


def export(user: User, language: str, request: HttpRequest | None = None) -> str:
    """The person's whole copy: the account, and each clinic's FHIR R4 Bundle, as one JSON document."""
    from cryoclinic.fhir.export import build_bundle, bundle_json

    clinics = []
    for clinic in clinics_of(user):
        with state.activate(clinic):
            client = Client.objects.filter(user_id=user.pk).first()
            if client is None:
                continue
            bundle = build_bundle(client, language)
            audit.record(user, "export", client, request=request, detail="my data: the whole copy")
            clinics.append({"clinic": clinic.name, "fhir_bundle": json.loads(bundle_json(bundle))})
    document = {"account": account_data(user), "clinics": clinics, "exported_at": timezone.now().isoformat()}
    return json.dumps(document, ensure_ascii=False, indent=2)


def request_deletion(user: User, request: HttpRequest | None = None) -> list[DeletionRequest]:
    """One pending request with every clinic that holds the person (an existing pending one is kept)."""
    filed = []
    for clinic in clinics_of(user):
        with state.activate(clinic), transaction.atomic():
            client = Client.objects.filter(user_id=user.pk).first()
            if client is None:
                continue
            row, created = DeletionRequest.objects.get_or_create(
                client=client, status=DeletionRequest.Status.PENDING, defaults={"requested_by": user}
            )
            if created:
                audit.record(user, "deletion_requested", row, request=request, detail=f"client #{client.pk}")
            filed.append(row)
    return filed


@transaction.atomic
def carry_out(deletion: DeletionRequest, *, by: User, request: HttpRequest | None = None) -> DeletionRequest:
    """Erase the client's personal, non-medical data in the active clinic; the medical record stays."""
    from cryoclinic.notifications.models import OutboxMessage
    from cryoclinic.scheduling.feeds import revoke_feeds

    deletion = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
    if deletion.status != DeletionRequest.Status.PENDING:
        raise ErasureError("request", "This request was carried out already.")
    client = deletion.client
    person = client.user
    client.phone, client.email, client.user = "", "", None
    client.save(update_fields=["phone", "email", "user", "updated_at"])
    revoke_feeds(client=client)
    OutboxMessage.objects.filter(client=client, sent_at__isnull=True).delete()
    OutboxMessage.objects.filter(client=client).update(recipient="", body="", subject="")
    deletion.status, deletion.carried_out_at, deletion.carried_out_by = (
        DeletionRequest.Status.DONE, timezone.now(), by,
    )
    deletion.save(update_fields=["status", "carried_out_at", "carried_out_by"])
    audit.record(by, "erased", client, request=request, detail="152-FZ: contact data erased, medical record kept")
    if person is not None and not clinics_of(person):
        erase_account(person)
    return deletion


def erase_account(user: User) -> None:
    """The platform's account of a person no clinic holds any more: anonymised, unable to sign in."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user_id=user.pk).delete()
    PhoneNumber.objects.filter(user_id=user.pk).delete()
    user.username, user.email, user.first_name, user.last_name = f"erased-{user.pk}", "", "", ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
