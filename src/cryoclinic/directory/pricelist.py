"""A clinic's own price list, kept by its admins: what it offers and at what price. Bookings snapshot it; the
directory shows it as the live price of the salon the clinic runs. Writes are audit-logged in the clinic's log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cryoclinic.accounts import audit
from cryoclinic.accounts.roles import ADMIN, has_role
from cryoclinic.clinics import state

from .models import ClinicPrice, validate_procedure

MAX_PRICE_RUB = 1_000_000


class PriceListError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_admin(by: Any) -> None:
    if state.current_clinic() is None or not has_role(by, ADMIN):
        raise PriceListError("", _("Only a clinic's admin keeps its price list."))


def check_procedure(procedure: str) -> None:
    try:
        validate_procedure(procedure)
    except ValidationError as exc:
        raise PriceListError("procedure", " ".join(exc.messages)) from exc


def set_price(procedure: str, amount_rub: int, *, by: Any, request: HttpRequest | None = None) -> ClinicPrice:
    """Add the procedure to the active clinic's price list, or change its price."""
    _check_admin(by)
    check_procedure(procedure)
    if not 1 <= amount_rub <= MAX_PRICE_RUB:
        raise PriceListError(
            "amount_rub", _("The price must be a whole number of roubles from 1 to %(max)s.") % {"max": MAX_PRICE_RUB}
        )
    price, _created = ClinicPrice.objects.update_or_create(procedure=procedure, defaults={"amount_rub": amount_rub})
    audit.record(by, "set_price", price, request=request, detail=f"{procedure}: {amount_rub} RUB")
    return price


def remove_price(procedure: str, *, by: Any, request: HttpRequest | None = None) -> None:
    """The clinic no longer offers the procedure."""
    _check_admin(by)
    price = ClinicPrice.objects.filter(procedure=procedure).first()
    if price is None:
        message = _("The price list has no entry for %(procedure)s.") % {"procedure": procedure}
        raise PriceListError("procedure", message)
    audit.record(by, "remove_price", price, request=request, detail=procedure)
    price.delete()
