from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cryoclinic.clinics.admin import ClinicOwnedAdmin

from . import tokens
from .models import ApiToken, AuditEvent, PlatformAuditEvent


class ReadOnlyLog(admin.ModelAdmin):
    list_display = ("at", "actor_username", "actor_roles", "action", "subject_type", "subject_id", "path")
    list_filter = ("action", "subject_type")
    search_fields = ("actor_username", "subject_id", "path")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        """A token acts for one of the clinic's own staff."""
        if db_field.name == "user":
            from django.contrib.auth.models import User

            from cryoclinic.clinics.models import Membership

            kwargs["queryset"] = User.objects.filter(pk__in=Membership.objects.values("user_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(PlatformAuditEvent)
class PlatformAuditEventAdmin(ReadOnlyLog):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyLog, ClinicOwnedAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(ClinicOwnedAdmin):
    """Adding a token shows it once in a message; afterwards only its prefix is known. Revoke, never delete."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_tokens"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("user", "name") if obj is not None else ())

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            return
        token, raw = tokens.issue(obj.user, obj.name, by=request.user, request=request)  # type: ignore[arg-type]
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(request, f"The token, shown only this once: {raw}")

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            tokens.revoke(token, by=request.user, request=request)  # type: ignore[arg-type]

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        """A token acts for one of the clinic's own staff."""
        if db_field.name == "user":
            from django.contrib.auth.models import User

            from cryoclinic.clinics.models import Membership

            kwargs["queryset"] = User.objects.filter(pk__in=Membership.objects.values("user_id"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
