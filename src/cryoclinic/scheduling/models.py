"""A clinic's resources (hours, rooms, practitioners), its courses and appointments. Every model here is the
clinic's own (`ClinicOwned`): read through the clinic's scope, keyed by clinic in every unique rule."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import Clinic, ClinicOwned, validate_time_zone

__all__ = ["Clinic", "validate_time_zone"]  # Clinic moved to cryoclinic.clinics; old migrations import from here

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class OpeningHours(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours", editable=False)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["clinic", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_hours_opens_before_closes"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Room(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="rooms", editable=False)
    name = models.CharField(max_length=100)
    procedures = models.JSONField(default=list, blank=True, help_text=_("procedure slugs allowed here; empty: any"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Practitioner(ClinicOwned):
    """A person who treats clients in this clinic; the same user may practise in several clinics."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioners")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="practitioners", editable=False)
    display_name = models.CharField(max_length=200)
    title = models.CharField(max_length=100, blank=True, help_text=_("e.g. cosmetologist, dermatologist"))
    procedures = models.JSONField(default=list, help_text=_("slugs of the procedures this person may perform"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "user"], name="practitioner_once_per_clinic")]

    def __str__(self) -> str:
        return self.display_name


class WorkingHours(ClinicOwned):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="working_hours_starts_before_ends"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="working_hours_weekday_range"),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Absence(ClinicOwned):
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="absences")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="absence_positive")]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class ClosedDay(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closed_days", editable=False)
    date = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["clinic", "date"], name="closed_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Course(ClinicOwned):
    """A course of one procedure for one client, under the course rules it was planned with (a snapshot)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested: the clinic confirms")
        ACTIVE = "active", _("active")
        FLAGGED = "flagged", _("interval broken: staff decide")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")

    class Decision(models.TextChoices):
        CONTINUE = "continue", _("continue the course")
        RESTART = "restart", _("restart the course")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="courses", editable=False)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="courses")
    procedure = models.SlugField()
    rules = models.JSONField(help_text=_("the course rules at planning time: sessions, gaps, duration"))
    availability = models.JSONField(default=list, help_text=_("the client's weekly windows: [weekday, from, to]"))
    knowledge_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    flag_reason = models.CharField(max_length=300, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True, help_text=_("why staff cancelled the course"))
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    OPEN_STATUSES = ("requested", "active", "flagged")  # a course that still holds the client's place

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One course of a procedure per client at a time (seed#course-duration): the database keeps it too.
            models.UniqueConstraint(
                fields=["clinic", "client", "procedure"],
                condition=Q(status__in=["requested", "active", "flagged"]),
                name="course_one_open_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.procedure} · {self.get_status_display()}"


class Appointment(ClinicOwned):
    """One session. Two live appointments never overlap on a practitioner or a room (see the migrations)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested: the clinic confirms")
        BOOKED = "booked", _("booked")
        DONE = "done", _("done")
        NO_SHOW = "no_show", _("no show")
        CANCELLED = "cancelled", _("cancelled")

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments", editable=False)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="appointments")
    procedure = models.SlugField()
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="appointments")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="appointments")
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    session_number = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    technique = models.CharField(
        max_length=50, blank=True, help_text=_("the knowledge base's technique code, where chosen at booking")
    )
    price_rub = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("the clinic's price for the procedure when booked, roubles; empty: none")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["clinic", "starts_at", "ends_at"], name="appointment_time_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="appointment_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "booked", "done", "no_show", "cancelled"]),
                name="appointment_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.starts_at:%Y-%m-%d %H:%M} · {self.practitioner} · {self.room}"


class CalendarFeed(ClinicOwned):
    """An iCalendar feed of one client's or one practitioner's appointments, behind an unguessable token."""

    token = models.CharField(max_length=64)
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    practitioner = models.ForeignKey(
        Practitioner, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(client__isnull=False, practitioner__isnull=True)
                | Q(client__isnull=True, practitioner__isnull=False),
                name="calendar_feed_one_owner",
            ),
            models.UniqueConstraint(fields=["clinic", "token"], name="calendar_feed_unique_token"),
        ]
        indexes = [models.Index(fields=["token"], name="calendar_feed_token_idx")]

    def __str__(self) -> str:
        return f"feed of {self.client or self.practitioner}"
