from django.contrib import admin

from cryoclinic.clinics.admin import ClinicOwnedAdmin

from .models import OutboxMessage, PlatformMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ClinicOwnedAdmin):
    list_display = ["kind", "channel", "recipient", "due_at", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", "channel", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient", "key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PlatformMessage)
class PlatformMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "channel", "recipient", "due_at", "sent_at", "attempts", "last_error"]
    readonly_fields = [f.name for f in PlatformMessage._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
