"""Who belongs to which clinic, and which clinic a request acts for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from . import state
from .models import Clinic, Membership

SESSION_KEY = "cryoclinic_clinic_id"


def clinics_of(user: AbstractBaseUser | AnonymousUser) -> list[Clinic]:
    """Every clinic where `user` works (a membership) or is a client, by name. The person's own links only."""
    if not user.is_authenticated:
        return []
    from cryoclinic.clients.models import Client

    with state.platform():  # the person's own places across clinics, to pick one
        ids = set(Membership.objects.filter(user_id=user.pk).values_list("clinic_id", flat=True))
        ids |= set(Client.objects.filter(user_id=user.pk).values_list("clinic_id", flat=True))
    return list(Clinic.objects.filter(pk__in=ids).order_by("name", "pk"))


def clinic_for_request(request: HttpRequest) -> Clinic | None:
    """The clinic a signed-in person acts for: the one chosen in the switcher while they still belong to it,
    else their first. The role check itself happens per request inside the clinic (`accounts.roles`)."""
    user = request.user
    if not user.is_authenticated:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen is not None:
        clinic = Clinic.objects.filter(pk=chosen).first()
        if clinic is not None and belongs(user, clinic):
            return clinic
    mine = clinics_of(user)
    if mine:
        request.session[SESSION_KEY] = mine[0].pk
        return mine[0]
    request.session.pop(SESSION_KEY, None)
    return None


def belongs(user: Any, clinic: Clinic) -> bool:
    from cryoclinic.accounts.roles import CLINIC_ROLES, roles_of

    with state.activate(clinic):
        return bool(roles_of(user) & set(CLINIC_ROLES))


def choose(request: HttpRequest, clinic_id: int) -> Clinic | None:
    """Switch the person's clinic; None when it is not one of theirs (nothing changes)."""
    for clinic in clinics_of(request.user):
        if clinic.pk == clinic_id:
            request.session[SESSION_KEY] = clinic.pk
            return clinic
    return None


def add_member(clinic: Clinic, user: Any, role: str) -> Membership:
    """Give `user` a role in `clinic` (replacing their role there, if any)."""
    with state.activate(clinic):
        membership, _created = Membership.objects.update_or_create(user=user, defaults={"role": role})
    return membership


def clinic_or_404() -> Clinic:
    """The clinic the request acts for; a 404 for a person who works in none (a platform admin, say)."""
    from django.http import Http404

    clinic = state.current_clinic()
    if clinic is None:
        raise Http404("You act for no clinic: ask a clinic's admin for a membership.")
    return clinic
