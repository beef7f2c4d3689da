"""What the directory shows of a salon a clinic runs on the platform: the clinic's live price list.

A price list is the clinic's own record (`ClinicPrice` is clinic-owned), so it is read inside that clinic's scope,
one clinic at a time, and only for live clinics (`Salon.on_platform`). The procedures a clinic offers are the
entries of its price list. The next free time comes from the clinic's calendar (`scheduling.availability`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic

from .models import ClinicPrice


def price_list(clinic: Clinic) -> dict[str, int]:
    """The clinic's live prices: procedure -> roubles."""
    with state.activate(clinic):
        return dict(ClinicPrice.objects.order_by("procedure").values_list("procedure", "amount_rub"))


def price_lists(clinics: Iterable[Clinic]) -> dict[int, dict[str, int]]:
    """Clinic id -> its live prices, each list read inside its own clinic's scope."""
    return {clinic.pk: price_list(clinic) for clinic in {c.pk: c for c in clinics}.values()}


def offered_by(clinic_ids: Sequence[int]) -> dict[int, list[str]]:
    """Clinic id -> the procedures it offers, for a page of clinics at once."""
    with state.platform():  # the public list of clinics: one read of what each offers, not one scope per clinic
        rows = ClinicPrice.objects.filter(clinic_id__in=list(clinic_ids)).values_list("clinic_id", "procedure")
        offered: dict[int, list[str]] = {pk: [] for pk in clinic_ids}
        for clinic_id, procedure in rows.order_by("clinic_id", "procedure"):
            offered[clinic_id].append(procedure)
    return offered
