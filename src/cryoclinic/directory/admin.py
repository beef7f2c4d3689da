from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cryoclinic.clinics.admin import ClinicOwnedAdmin

from .importer import confirm_pending
from .models import BookingRequest, City, ClinicPrice, PendingRow, PriceEntry, Review, Salon


class PriceInline(admin.TabularInline):
    model = PriceEntry
    extra = 0


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_ru", "slug"]


@admin.register(Salon)
class SalonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "city", "address", "phone", "clinic"]
    list_filter = ["city"]
    search_fields = ["name", "address"]
    inlines = [PriceInline]


def _confirm(choice: int):  # type: ignore[no-untyped-def]
    def action(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[PendingRow]) -> None:
        for row in queryset:
            try:
                salon = confirm_pending(row, choice)
            except ValueError as exc:
                modeladmin.message_user(request, f"{row}: {exc}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{row}: confirmed as {salon.address}", messages.SUCCESS)

    action.__name__ = f"confirm_reading_{choice + 1}"
    action.short_description = f"Confirm reading {choice + 1}"  # type: ignore[attr-defined]
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

    @admin.display(description="candidate readings")
    def readings(self, row: PendingRow) -> str:
        return " | ".join(f"{i + 1}) {c['address']} — {c['price_rub']} ₽" for i, c in enumerate(row.candidates))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["salon", "author", "stars", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["salon", "author", "stars", "text", "created_at"]
    actions = ["approve", "reject"]

    @admin.action(description="Approve the selected reviews")
    def approve(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        queryset.update(status=Review.Status.APPROVED)

    @admin.action(description="Reject the selected reviews")
    def reject(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        queryset.update(status=Review.Status.REJECTED)


@admin.register(BookingRequest)
class BookingRequestAdmin(admin.ModelAdmin):
    list_display = ["salon", "name", "phone", "procedure", "preferred_date", "status", "created_at"]
    list_filter = ["status"]


@admin.register(ClinicPrice)
class ClinicPriceAdmin(ClinicOwnedAdmin):
    """The clinic's own price list: bookings take their price from it, the directory shows it live."""

    list_display = ["procedure", "amount_rub", "updated_at"]
