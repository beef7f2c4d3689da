from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cryoclinic.accounts.roles import PLATFORM_ADMIN, has_role
from cryoclinic.clinics.admin import ClinicOwnedAdmin

from . import claims
from .importer import confirm_pending
from .models import BookingRequest, City, ClinicPrice, PendingRow, PriceEntry, Review, Salon, SalonClaim


class PriceInline(admin.TabularInline):
    model = PriceEntry
    extra = 0


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ru", "slug"]


@admin.register(Salon)
class SalonAdmin(admin.ModelAdmin):
    """A clinic comes to run a salon by a claim a platform admin approves (Salon claims)."""

    list_display = ["__str__", "city", "name_ru", "address_ru", "names_origin", "clinic"]
    list_filter = ["city", "names_origin"]
    search_fields = ["name", "address", "name_ru", "name_en", "address_ru", "address_en"]
    inlines = [PriceInline]


def _confirm(choice: int):  # type: ignore[no-untyped-def]
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[PendingRow]) -> None:
        for row in queryset:
            try:
                salon = confirm_pending(row, choice, by=request.user, request=request)
            except ValueError as exc:
                modeladmin.message_user(request, f"{row}: {exc}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{row}: confirmed as {salon.address}", messages.SUCCESS)

    action.__name__ = "confirm_proposed_reading" if choice == 0 else f"confirm_reading_{choice + 1}"
    proposed = "Confirm the proposed reading (the most plausible, listed first)"
    action.short_description = proposed if choice == 0 else f"Confirm reading {choice + 1}"  # type: ignore[attr-defined]
    return action


@admin.register(PendingRow)
class PendingRowAdmin(admin.ModelAdmin):
    list_display = ["raw", "city", "readings", "resolved_salon", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    readonly_fields = [
        "source",
        "line",
        "raw",
        "city",
        "procedure",
        "name",
        "candidates",
        "resolved_salon",
        "resolved_at",
    ]
    actions = [_confirm(0), _confirm(1), _confirm(2), _confirm(3)]

    @admin.display(description="candidate readings, the proposal first (robust z of the log price)")
    def readings(self, row: PendingRow) -> str:
        def label(index: int, c: dict[str, Any]) -> str:
            z = f" (z {c['robust_z']:.2f})" if c.get("robust_z") is not None else ""
            return f"{index + 1}) {c['address']} — {c['price_rub']} ₽{z}" + (" ← proposed" if index == 0 else "")

        return " | ".join(label(i, c) for i, c in enumerate(row.candidates))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["salon", "author", "stars", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["salon", "rated_clinic", "author", "stars", "text", "created_at", "moderated_by",
                       "moderated_at"]
    actions = ["approve", "reject"]

    @admin.action(description="Approve the selected reviews")
    def approve(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._moderate(request, queryset, "approve")

    @admin.action(description="Reject the selected reviews")
    def reject(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._moderate(request, queryset, "reject")

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Review], decision: str) -> None:
        """Through the one moderation rule (pending only, who and when, the platform's audit log)."""
        from . import services

        for review in queryset.filter(status=Review.Status.PENDING):
            services.moderate_review(review, decision, by=request.user, request=request)  # type: ignore[arg-type]


@admin.register(BookingRequest)
class BookingRequestAdmin(admin.ModelAdmin):
    list_display = ["salon", "name", "phone", "procedure", "preferred_date", "status", "created_at"]
    list_filter = ["status"]


@admin.register(ClinicPrice)
class ClinicPriceAdmin(ClinicOwnedAdmin):
    """The clinic's own price list: bookings take their price from it, the directory shows it live."""

    list_display = ["procedure", "amount_rub", "updated_at"]


@admin.register(SalonClaim)
class SalonClaimAdmin(admin.ModelAdmin):
    """Clinics' claims on salons; platform admins approve or reject them (the actions), which says what changed."""

    list_display = ["salon", "clinic", "name_ru", "name_en", "address_ru", "address_en", "status", "created_at",
                    "decided_by"]
    list_filter = ["status"]
    search_fields = ["salon__name", "salon__name_ru", "clinic__name", "name_ru", "name_en"]
    readonly_fields = [f.name for f in SalonClaim._meta.fields]
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return has_role(request.user, PLATFORM_ADMIN)

    def _each(self, request: HttpRequest, queryset: QuerySet[SalonClaim], decide: Any) -> None:
        for claim in queryset.select_related("salon", "clinic"):
            try:
                decided = decide(claim)
            except claims.ClaimError as exc:
                self.message_user(request, f"{claim}: {exc}", messages.ERROR)
            else:
                self.message_user(request, claims.decision_message(decided), messages.SUCCESS)

    @admin.action(description="Approve the selected claims (the salon becomes the clinic's)", permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[SalonClaim]) -> None:
        self._each(request, queryset, lambda claim: claims.approve_claim(claim, by=request.user, request=request))

    @admin.action(description="Reject the selected claims", permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[SalonClaim]) -> None:
        self._each(request, queryset, lambda claim: claims.reject_claim(claim, by=request.user, request=request))
