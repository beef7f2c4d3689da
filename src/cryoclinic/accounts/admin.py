from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "actor_roles", "action", "subject_type", "subject_id", "path")
    list_filter = ("action", "subject_type")
    search_fields = ("actor_username", "subject_id", "path")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
