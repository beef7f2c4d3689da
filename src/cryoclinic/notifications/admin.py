from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "channel", "recipient", "due_at", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", "channel", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient", "key"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
