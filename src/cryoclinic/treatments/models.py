"""Treatment sessions, adverse events, follow-up tasks and outcomes. Writes go through this app's services."""

import os
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clients.models import ImmutableRecord, ImmutableRecordError
from cryoclinic.clinics.models import ClinicOwned


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read on every use), outside MEDIA_ROOT; only access-checked views read them."""

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> Storage:
    """settings.STORAGES["private"]: PrivateStorage on this disk, or a private S3 location shared by every server."""
    return storages["private"]


class SessionRecord(ClinicOwned):
    """What was done at one appointment. A completed record is never changed: a correction is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("in progress")
        COMPLETED = "completed", _("completed")

    appointment = models.ForeignKey("scheduling.Appointment", on_delete=models.PROTECT, related_name="session_records")
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="session_records")
    procedure = models.SlugField()
    knowledge_version = models.CharField(max_length=40)
    intake = models.ForeignKey(
        "clients.IntakeRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("the re-screening recorded at the session"),
    )
    technique = models.CharField(max_length=60, blank=True)
    zones = models.JSONField(default=list, blank=True)
    lesion_site = models.CharField(max_length=200, blank=True)
    lesion_size_mm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    stages_done = models.JSONField(default=list, blank=True)
    reactions = models.JSONField(default=list, blank=True, help_text=_("side-effect codes observed"))
    notes = models.TextField(blank=True)
    aftercare_language = models.CharField(max_length=8, blank=True)
    aftercare_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    aftercare_given_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointment", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "appointment", "version"], name="session_record_one_per_version"
            ),
            models.UniqueConstraint(fields=["clinic", "supersedes"], name="session_record_superseded_once"),
            models.CheckConstraint(condition=Q(status__in=["draft", "completed"]), name="session_record_status_known"),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True) | Q(ended_at__isnull=True) | Q(started_at__lt=F("ended_at")),
                name="session_record_starts_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.procedure} · v{self.version} · {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and SessionRecord.objects.filter(pk=self.pk, status=self.Status.COMPLETED).exists():
            raise ImmutableRecordError(f"Session record #{self.pk} is completed; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecordError(f"Session record #{self.pk} cannot be deleted.")


SEVERITY_CHOICES = [("mild", _("mild")), ("moderate", _("moderate")), ("severe", _("severe"))]
OTHER_CODE = "other"


class AdverseEvent(ClinicOwned):
    """A reaction or complication, coded by the procedure's side effects in the knowledge base (or `other`).

    Severity follows the general grades of CTCAE v5.0 (pub:ctcae-v5): mild = grade 1 (no intervention
    needed), moderate = grade 2 (minimal, local or non-invasive intervention), severe = grade 3 (medically
    significant). Only the resolution date is written after the report, by `events.resolve_event`.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="adverse_events")
    procedure = models.SlugField()
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
    )
    code = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=10, choices=SEVERITY_CHOICES)
    onset_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    resolution_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-onset_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=["mild", "moderate", "severe"]), name="adverse_event_severity_known"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("onset_on")),
                name="adverse_event_resolved_after_onset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.code} · {self.severity} · {self.onset_on}"


class FollowUpTask(ClinicOwned):
    """Something staff must do by a day: check an unresolved reaction, see a wound after neoplasm removal."""

    class Kind(models.TextChoices):
        REACTION = "reaction", _("reaction still unresolved")
        WOUND_CARE = "wound_care", _("wound-care follow-up")

    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="follow_up_tasks")
    procedure = models.SlugField()
    adverse_event = models.ForeignKey(
        AdverseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    session = models.ForeignKey(SessionRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    due_on = models.DateField()
    text = models.JSONField(help_text=_('{"en": …, "ru": …}'))
    source = models.CharField(max_length=120, help_text=_("where the rule that made this task comes from"))
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["clinic", "key"], name="follow_up_task_unique_key")]

    def __str__(self) -> str:
        return f"{self.client} · {self.kind} · {self.due_on}"


SCORERS = [("practitioner", _("practitioner")), ("client", _("client"))]
SCORE_MIN, SCORE_MAX = 0, 3


class OutcomeScore(ImmutableRecord, ClinicOwned):
    """One expected result (KB `results` code) scored 0–3 by the practitioner or the client; the latest counts.

    The scale is the clinic's: 0 = not seen, 1 = slight, 2 = clear, 3 = full. Scored per course, or per
    appointment for a procedure without a course (cryodestruction).
    """

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="outcome_scores")
    procedure = models.SlugField()
    course = models.ForeignKey("scheduling.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result_code = models.CharField(max_length=60)
    scorer = models.CharField(max_length=12, choices=SCORERS)
    score = models.PositiveSmallIntegerField()
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scored_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="outcome_score_range"),
            models.CheckConstraint(
                condition=Q(course__isnull=False, appointment__isnull=True)
                | Q(course__isnull=True, appointment__isnull=False),
                name="outcome_score_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.result_code} · {self.scorer} {self.score}"


class OutcomePhoto(ImmutableRecord, ClinicOwned):
    """A before/after photo, re-encoded without metadata, in private storage (never under MEDIA_ROOT)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="outcome_photos")
    procedure = models.SlugField()
    course = models.ForeignKey("scheduling.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    image = models.FileField(storage=private_storage, upload_to="outcome-photos/")
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, appointment__isnull=True)
                | Q(course__isnull=True, appointment__isnull=False),
                name="outcome_photo_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.kind} · {self.uploaded_at:%Y-%m-%d}"
