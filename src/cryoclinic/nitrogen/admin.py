from django.contrib import admin

from cryoclinic.clinics.admin import ClinicOwnedAdmin, ClinicOwnedTabularInline

from .models import ConsumptionRate, Dewar, LevelReading


class LevelReadingInline(ClinicOwnedTabularInline):
    model = LevelReading
    extra = 1
    fields = ["at", "kind", "level_l", "note"]
    ordering = ["-at"]


@admin.register(Dewar)
class DewarAdmin(ClinicOwnedAdmin):
    list_display = ["name", "capacity_l", "reserve_l", "boil_off_l_per_day", "refill_lead_days"]
    inlines = [LevelReadingInline]

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        for reading in formset.save(commit=False):
            reading.recorded_by = reading.recorded_by or request.user
            reading.save()
        formset.save_m2m()
        for deleted in formset.deleted_objects:
            deleted.delete()


@admin.register(ConsumptionRate)
class ConsumptionRateAdmin(ClinicOwnedAdmin):
    list_display = ["procedure", "technique", "litres_per_session", "provenance", "source"]
    list_filter = ["provenance", "procedure"]
