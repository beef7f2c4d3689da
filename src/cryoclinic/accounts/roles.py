"""Roles: a staff role per clinic (a membership), the client role where a clinic holds the person's record,
and the platform admin. Permissions follow the roles held in the clinic the request acts for."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group

from cryoclinic.clinics.state import current_clinic_id

ADMIN = "admin"
PRACTITIONER = "practitioner"
RECEPTION = "reception"
CLIENT = "client"
PLATFORM_ADMIN = "platform_admin"
STAFF_ROLES = (ADMIN, PRACTITIONER, RECEPTION)
CLINIC_ROLES = (ADMIN, PRACTITIONER, RECEPTION, CLIENT)
ROLES = (*CLINIC_ROLES, PLATFORM_ADMIN)

# app_label.codename: every permission a role holds (in the clinic the request acts for; the platform admin's
# everywhere). The platform admin holds none over clinic-owned records: it runs the platform, not a clinic.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ADMIN: (
        "knowledge.view_clinicknowledgeitem", "knowledge.add_clinicknowledgeitem",
        "knowledge.change_clinicknowledgeitem", "knowledge.delete_clinicknowledgeitem",
        "clients.view_client", "clients.add_client", "clients.change_client",
        "clinics.view_clinic", "clinics.change_clinic",
        "clinics.view_membership", "clinics.add_membership", "clinics.change_membership",
        "clinics.delete_membership",
        "scheduling.view_room", "scheduling.add_room", "scheduling.change_room", "scheduling.view_practitioner",
        "scheduling.add_practitioner", "scheduling.change_practitioner",
        "scheduling.view_openinghours", "scheduling.add_openinghours",
        "scheduling.change_openinghours", "scheduling.delete_openinghours",
        "accounts.view_auditevent", "notifications.view_outboxmessage",
        "accounts.view_apitoken", "accounts.add_apitoken", "accounts.change_apitoken",
        "nitrogen.view_dewar", "nitrogen.add_dewar", "nitrogen.change_dewar",
        "nitrogen.view_levelreading", "nitrogen.add_levelreading", "nitrogen.change_levelreading",
        "nitrogen.view_consumptionrate", "nitrogen.add_consumptionrate", "nitrogen.change_consumptionrate",
        "directory.view_city", "directory.view_salon", "directory.view_clinicprice", "directory.add_clinicprice",
        "directory.change_clinicprice", "directory.delete_clinicprice", "directory.view_bookingrequest",
        "directory.change_bookingrequest",
        "scheduling.view_workinghours", "scheduling.add_workinghours", "scheduling.change_workinghours",
        "scheduling.delete_workinghours", "scheduling.view_absence", "scheduling.add_absence",
        "scheduling.change_absence", "scheduling.delete_absence", "scheduling.view_closedday",
        "scheduling.add_closedday", "scheduling.change_closedday", "scheduling.delete_closedday",
        "scheduling.view_course", "scheduling.view_appointment", "scheduling.view_calendarfeed",
        "scheduling.change_calendarfeed",
        "payments.view_shop", "payments.add_shop", "payments.change_shop", "payments.delete_shop",
        "payments.view_depositpolicy", "payments.add_depositpolicy", "payments.change_depositpolicy",
        "payments.delete_depositpolicy", "payments.view_deposit",
    ),
    PRACTITIONER: ("clients.view_client", "clients.change_client"),
    RECEPTION: ("clients.view_client", "clients.add_client", "clients.change_client"),
    CLIENT: (),
    PLATFORM_ADMIN: (
        "clinics.view_clinic", "clinics.change_clinic",
        "directory.view_city", "directory.add_city", "directory.change_city",
        "directory.view_salon", "directory.add_salon", "directory.change_salon",
        "directory.view_priceentry", "directory.add_priceentry", "directory.change_priceentry",
        "directory.delete_priceentry", "directory.view_pendingrow", "directory.change_pendingrow",
        "directory.view_review", "directory.change_review", "directory.view_salonclaim",
        "directory.change_salonclaim", "accounts.view_platformauditevent",
    ),
}
_CACHE = "_cryoclinic_roles"


def sync_roles(**_: Any) -> None:
    """The platform admin's group (runs after every migrate); clinic roles are memberships, not groups."""
    Group.objects.get_or_create(name=PLATFORM_ADMIN)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The roles `user` holds in the clinic the code acts for (none outside a clinic), and platform admin."""
    if not user.is_authenticated:
        return frozenset()
    clinic_id = current_clinic_id()
    cache: dict[int | None, frozenset[str]] = user.__dict__.setdefault(_CACHE, {})
    if clinic_id in cache:
        return cache[clinic_id]
    names: set[str] = set()
    if user.groups.filter(name=PLATFORM_ADMIN).exists():  # type: ignore[attr-defined]
        names.add(PLATFORM_ADMIN)
    if clinic_id is not None:
        from cryoclinic.clients.models import Client
        from cryoclinic.clinics.models import Membership

        role = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True).first()
        if role:
            names.add(role)
        if Client.objects.filter(user_id=user.pk).exists():
            names.add(CLIENT)
    cache[clinic_id] = frozenset(names)
    return cache[clinic_id]


def forget_roles(user: Any) -> None:
    """After a membership or client link changes for a user object still in use."""
    user.__dict__.pop(_CACHE, None)


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def permissions_of(roles: frozenset[str]) -> set[str]:
    return {name for role in roles for name in ROLE_PERMISSIONS.get(role, ())}
