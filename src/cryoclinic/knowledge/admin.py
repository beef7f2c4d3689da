from django.contrib import admin

from cryoclinic.clinics.admin import ClinicOwnedAdmin

from .models import ClinicKnowledgeItem


@admin.register(ClinicKnowledgeItem)
class ClinicKnowledgeItemAdmin(ClinicOwnedAdmin):
    list_display = ("procedure", "section", "code", "kind", "active", "source", "updated_at")
    list_filter = ("procedure", "section", "active")
    search_fields = ("code", "text_en", "text_ru", "source")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
