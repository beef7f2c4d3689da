"""The admin of clinic-owned records works inside the signed-in person's clinic; the platform's admin approves."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from . import state
from .models import Clinic, Membership


class InClinicOnly:
    """Only inside a clinic (the switcher's): its rows, and new rows go to it. No clinic, no access at all."""

    def _in_clinic(self) -> bool:
        return state.current_clinic_id() is not None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._in_clinic() and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_clinic() and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._in_clinic() and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_clinic() and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_clinic() and super().has_delete_permission(request, obj)  # type: ignore[misc]


class ClinicOwnedAdmin(InClinicOnly, admin.ModelAdmin):  # type: ignore[misc]
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        self._refuse_outside_a_clinic(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request: HttpRequest, object_id: Any = None, *args: Any, **kwargs: Any) -> Any:
        self._refuse_outside_a_clinic(request)
        return super().changeform_view(request, object_id, *args, **kwargs)

    def _refuse_outside_a_clinic(self, request: HttpRequest) -> None:
        """A clinic's records in the admin need a clinic: a platform admin asking for them is refused and logged."""
        if self._in_clinic():
            return
        from cryoclinic.accounts.access import audit_refusal

        audit_refusal(request)
        raise PermissionDenied("These are a clinic's records: only its own staff see them.")


class ClinicOwnedTabularInline(InClinicOnly, admin.TabularInline):  # type: ignore[misc]
    pass


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "city", "status", "time_zone")
    list_filter = ("status",)
    search_fields = ("name", "slug", "city")
    readonly_fields = ("approved_by", "approved_at", "created_at")
    actions = ["approve"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clinic]:
        """A platform admin sees every clinic; a clinic admin, only the clinic they act for."""
        rows = super().get_queryset(request)
        from cryoclinic.accounts.roles import PLATFORM_ADMIN, has_role

        if has_role(request.user, PLATFORM_ADMIN):
            return rows
        return rows.filter(pk=state.current_clinic_id() or 0)

    @admin.action(description="Approve the selected clinics (they go live)", permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Clinic]) -> None:
        from . import approvals

        for clinic in queryset.filter(status=Clinic.Status.PENDING):
            approvals.approve_clinic(clinic, by=request.user, request=request)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        from cryoclinic.accounts.roles import PLATFORM_ADMIN, has_role

        return has_role(request.user, PLATFORM_ADMIN)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self.has_approve_permission(request):
            return self.readonly_fields
        return (*self.readonly_fields, "status", "slug")


@admin.register(Membership)
class MembershipAdmin(ClinicOwnedAdmin):
    list_display = ("user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ()
    raw_id_fields = ("user",)
