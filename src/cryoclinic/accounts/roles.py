"""The four roles as Django groups, each with the model permissions it needs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission

ADMIN = "admin"
PRACTITIONER = "practitioner"
RECEPTION = "reception"
CLIENT = "client"
ROLES = (ADMIN, PRACTITIONER, RECEPTION, CLIENT)
STAFF_ROLES = (ADMIN, PRACTITIONER, RECEPTION)

# app_label.codename: every permission a role holds. Apps added later extend this map.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ADMIN: (
        "auth.view_user", "auth.add_user", "auth.change_user",
        "knowledge.view_clinicknowledgeitem", "knowledge.add_clinicknowledgeitem",
        "knowledge.change_clinicknowledgeitem", "knowledge.delete_clinicknowledgeitem",
        "clients.view_client", "clients.add_client", "clients.change_client",
        "scheduling.view_clinic", "scheduling.change_clinic", "scheduling.view_room",
        "scheduling.add_room", "scheduling.change_room", "scheduling.view_practitioner",
        "scheduling.add_practitioner", "scheduling.change_practitioner",
        "scheduling.view_openinghours", "scheduling.add_openinghours",
        "scheduling.change_openinghours", "scheduling.delete_openinghours",
        "accounts.view_auditevent", "notifications.view_outboxmessage",
        "accounts.view_apitoken", "accounts.add_apitoken", "accounts.change_apitoken",
        "nitrogen.view_dewar", "nitrogen.add_dewar", "nitrogen.change_dewar",
        "nitrogen.view_levelreading", "nitrogen.add_levelreading", "nitrogen.change_levelreading",
        "nitrogen.view_consumptionrate", "nitrogen.add_consumptionrate", "nitrogen.change_consumptionrate",
        "directory.view_city", "directory.add_city", "directory.change_city",
        "directory.view_salon", "directory.add_salon", "directory.change_salon",
        "directory.view_priceentry", "directory.add_priceentry", "directory.change_priceentry",
        "directory.delete_priceentry", "directory.view_pendingrow", "directory.change_pendingrow",
        "directory.view_review", "directory.change_review", "directory.view_bookingrequest",
        "directory.change_bookingrequest",
        "scheduling.view_workinghours", "scheduling.add_workinghours", "scheduling.change_workinghours",
        "scheduling.delete_workinghours", "scheduling.view_absence", "scheduling.add_absence",
        "scheduling.change_absence", "scheduling.delete_absence", "scheduling.view_closedday",
        "scheduling.add_closedday", "scheduling.change_closedday", "scheduling.delete_closedday",
        "scheduling.view_course", "scheduling.view_appointment", "scheduling.view_calendarfeed",
        "scheduling.change_calendarfeed",
    ),
    PRACTITIONER: ("clients.view_client", "clients.change_client"),
    RECEPTION: ("clients.view_client", "clients.add_client", "clients.change_client"),
    CLIENT: (),
}


def sync_roles(**_: Any) -> None:
    """Create the role groups and set their permissions (runs after every migrate)."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                permissions.append(found)
        group.permissions.set(permissions)


def roles_of(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    names = frozenset(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    if getattr(user, "is_superuser", False):
        names = names | {ADMIN}
    return names & frozenset(ROLES)


def has_role(user: AbstractBaseUser | AnonymousUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
