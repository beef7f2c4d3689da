"""Claims: a clinic's admin claims a salon of the directory, a platform admin approves or rejects the claim.

Guarantees, each kept here (views and the admin only translate):
- only an admin of a live clinic claims, for the clinic they act for, giving the salon's name and address in
  both languages (the clinic corrects them; they replace the back-transliterated ones on approval);
- a salon run by one clinic cannot be claimed by another; at most one claim per salon waits for a decision
  (checked here, and by a partial unique constraint in the database when two claims race);
- only a platform admin decides; approval makes the salon the clinic's (a conditional update, so a salon another
  clinic took meanwhile is refused, not stolen), applies the names and says so;
- every claim and decision is audit-logged: the claim in the clinic's log, a decision in the platform's and in
  the clinic's; the clinic is told of the decision by email through its outbox where it has an address.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import ADMIN, PLATFORM_ADMIN, has_role
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.notifications.services import enqueue

from . import invalidation
from .models import Salon, SalonClaim
from .names import SalonNames

LIMITS = {"name_ru": 200, "name_en": 200, "address_ru": 300, "address_en": 300}


class ClaimError(ValueError):
    """The claim or decision is refused; `field` names the input at fault ("" when none is)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_names(names: SalonNames) -> None:
    for field, limit in LIMITS.items():
        value = getattr(names, field)
        if not value.strip():
            raise ClaimError(field, _("Give the salon's name and address in both Russian and English."))
        if len(value) > limit:
            raise ClaimError(field, _("At most %(limit)d characters.") % {"limit": limit})


def may_claim(user: Any, salon: Salon) -> str | None:
    """Why `user` may not claim `salon` for the clinic they act for, or None."""
    clinic = state.current_clinic()
    if clinic is None or not has_role(user, ADMIN):
        return _("Only a clinic's admin can claim a salon for the clinic.")
    if clinic.status != Clinic.Status.ACTIVE:
        return _("Your clinic is not live on the platform yet: a platform admin approves it first.")
    if salon.clinic_id is not None and salon.clinic_id != clinic.pk:
        return _("Another clinic on the platform runs this salon: it cannot be claimed.")
    if SalonClaim.objects.filter(salon=salon, status=SalonClaim.Status.PENDING).exists():
        return _("A claim on this salon is already waiting for the platform's decision.")
    return None


def claim_salon(salon: Salon, *, by: Any, names: SalonNames, request: HttpRequest | None = None) -> SalonClaim:
    """The clinic `by` acts for asks to run `salon`, with its names corrected; waits for a platform admin."""
    reason = may_claim(by, salon)
    if reason:
        raise ClaimError("salon", reason)
    names = SalonNames(*(value.strip() for value in vars(names).values()))
    check_names(names)
    clinic = state.current_clinic()
    assert clinic is not None  # may_claim refuses outside a clinic
    try:
        with transaction.atomic():
            claim = SalonClaim.objects.create(salon=salon, clinic=clinic, requested_by=by, **vars(names))
    except IntegrityError as exc:
        raise ClaimError("salon", _("A claim on this salon is already waiting for the platform's decision.")) from exc
    audit.record(by, "claim_salon", claim, request=request, detail=f"salon #{salon.pk}")
    return claim


def _decide(claim: SalonClaim, by: Any) -> SalonClaim:
    if not has_role(by, PLATFORM_ADMIN):
        raise ClaimError("", _("Only a platform admin decides on claims."))
    locked = SalonClaim.objects.select_for_update().select_related("salon", "clinic").get(pk=claim.pk)
    if locked.status != SalonClaim.Status.PENDING:
        raise ClaimError("status", _("This claim is already decided (%(status)s).") % {
            "status": locked.get_status_display()
        })
    return locked


def approve_claim(claim: SalonClaim, *, by: Any, request: HttpRequest | None = None) -> SalonClaim:
    """The salon becomes the clinic's, under the names the clinic gave."""
    with transaction.atomic():
        claim = _decide(claim, by)
        taken = Salon.objects.filter(Q(clinic__isnull=True) | Q(clinic=claim.clinic_id), pk=claim.salon_id).update(
            clinic=claim.clinic_id,
            name_ru=claim.name_ru,
            name_en=claim.name_en,
            address_ru=claim.address_ru,
            address_en=claim.address_en,
            names_origin=Salon.NamesOrigin.CLINIC,
        )
        if not taken:
            raise ClaimError("salon", _("Another clinic runs this salon now: reject this claim."))
        invalidation.changed()  # a queryset update sends no signal
        claim.status, claim.decided_by, claim.decided_at = SalonClaim.Status.APPROVED, by, timezone.now()
        claim.save(update_fields=["status", "decided_by", "decided_at"])
        _tell(claim, request)
    claim.salon.refresh_from_db()
    return claim


def reject_claim(claim: SalonClaim, *, by: Any, reason: str = "", request: HttpRequest | None = None) -> SalonClaim:
    with transaction.atomic():
        claim = _decide(claim, by)
        claim.status, claim.decided_by, claim.decided_at = SalonClaim.Status.REJECTED, by, timezone.now()
        claim.decision_note = reason.strip()[:500]
        claim.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _tell(claim, request)
    return claim


def decision_message(claim: SalonClaim) -> str:
    """The decision in a sentence, in the active language."""
    salon = f"{claim.name_ru} ({claim.address_ru})"
    if claim.status == SalonClaim.Status.APPROVED:
        return _("The claim of %(clinic)s on %(salon)s is approved: the directory shows the salon as run by the "
                 "clinic, with its live prices and the names it gave.") % {"clinic": claim.clinic.name, "salon": salon}
    message = _("The claim of %(clinic)s on %(salon)s is rejected.") % {"clinic": claim.clinic.name, "salon": salon}
    return f"{message} {claim.decision_note}".strip()


def _tell(claim: SalonClaim, request: HttpRequest | None) -> None:
    """The decision in the platform's log and the clinic's, and an email to the clinic where it has one."""
    by = claim.decided_by
    detail = f"{claim.status}: salon #{claim.salon_id} for clinic {claim.clinic.slug}"
    with state.no_clinic():
        audit.record(by, f"claim_{claim.status}", claim, request=request, detail=detail)
    with state.activate(claim.clinic):
        audit.record(by, f"claim_{claim.status}", claim, request=request, detail=detail)
        if claim.clinic.email:
            with translation.override("ru"):
                enqueue(
                    key=f"salon-claim:{claim.pk}:{claim.status}",
                    kind="salon_claim",
                    channel="email",
                    recipient=claim.clinic.email,
                    subject=_("Your claim on a salon of the directory"),
                    body=decision_message(claim),
                    due_at=timezone.now(),
                )
