from django.contrib import admin

from cryoclinic.clinics.admin import ClinicAdmin, ClinicOwnedAdmin, ClinicOwnedTabularInline

from .models import (
    Absence,
    Appointment,
    CalendarFeed,
    ClosedDay,
    Course,
    OpeningHours,
    Practitioner,
    Room,
    WorkingHours,
)


class OpeningHoursInline(ClinicOwnedTabularInline):
    model = OpeningHours
    extra = 0


class ClosedDayInline(ClinicOwnedTabularInline):
    model = ClosedDay
    extra = 0


ClinicAdmin.inlines = [*ClinicAdmin.inlines, OpeningHoursInline, ClosedDayInline]


@admin.register(Room)
class RoomAdmin(ClinicOwnedAdmin):
    list_display = ("name", "procedures")


class WorkingHoursInline(ClinicOwnedTabularInline):
    model = WorkingHours
    extra = 0


class AbsenceInline(ClinicOwnedTabularInline):
    model = Absence
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(ClinicOwnedAdmin):
    list_display = ("display_name", "title", "user")
    raw_id_fields = ("user",)
    inlines = [WorkingHoursInline, AbsenceInline]


@admin.register(Course)
class CourseAdmin(ClinicOwnedAdmin):
    list_display = ("client", "procedure", "status", "decision", "created_at")
    list_filter = ("status", "procedure")
    readonly_fields = (
        "client",
        "procedure",
        "rules",
        "availability",
        "knowledge_version",
        "created_by",
        "decided_by",
        "decided_at",
    )


@admin.register(Appointment)
class AppointmentAdmin(ClinicOwnedAdmin):
    list_display = ("starts_at", "client", "procedure", "practitioner", "room", "status", "session_number")
    list_filter = ("status", "practitioner", "room")
    date_hierarchy = "starts_at"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # bookings change through the calendar and the API, which keep the rules

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ClinicOwnedAdmin):
    list_display = ("client", "practitioner", "created_at", "revoked_at")
    exclude = ("token",)
