from django.contrib import admin

from .models import (
    Absence,
    Appointment,
    CalendarFeed,
    Clinic,
    ClosedDay,
    Course,
    OpeningHours,
    Practitioner,
    Room,
    WorkingHours,
)


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "time_zone")
    inlines = [OpeningHoursInline, ClosedDayInline]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "clinic", "procedures")


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = ("display_name", "title", "clinic")
    inlines = [WorkingHoursInline, AbsenceInline]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("client", "procedure", "status", "decision", "created_at")
    list_filter = ("status", "procedure")
    readonly_fields = (
        "clinic",
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
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "client", "procedure", "practitioner", "room", "status", "session_number")
    list_filter = ("status", "practitioner", "room")
    date_hierarchy = "starts_at"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # bookings change through the calendar and the API, which keep the rules

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("client", "practitioner", "created_at", "revoked_at")
    exclude = ("token",)
