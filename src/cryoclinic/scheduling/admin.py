from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cryoclinic.clinics.admin import ClinicAdmin, ClinicOwnedAdmin, ClinicOwnedTabularInline

from . import services
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
    """Courses change through the booking service (its rules hold here too): status is read-only, new courses are
    booked in the calendar, and a requested course is confirmed or declined by the actions below."""

    list_display = ("client", "procedure", "status", "decision", "created_at")
    list_filter = ("status", "procedure")
    actions = ("confirm_requests", "decline_requests")
    readonly_fields = (
        "status",
        "client",
        "procedure",
        "rules",
        "availability",
        "knowledge_version",
        "created_by",
        "decided_by",
        "decided_at",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    @admin.action(description="Confirm the requested courses")
    def confirm_requests(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        self._each(request, queryset, lambda course: services.confirm_request(course, by=request.user))  # type: ignore[arg-type]

    @admin.action(description="Decline the requested courses")
    def decline_requests(self, request: HttpRequest, queryset: QuerySet[Course]) -> None:
        self._each(request, queryset, lambda course: services.decline_request(
            course, reason="declined by the clinic", by=request.user))  # type: ignore[arg-type]

    def _each(self, request: HttpRequest, queryset: QuerySet[Course], act) -> None:  # type: ignore[no-untyped-def]
        for course in queryset:
            try:
                act(course)
            except services.CourseClosed as exc:
                self.message_user(request, str(exc), messages.ERROR)


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
