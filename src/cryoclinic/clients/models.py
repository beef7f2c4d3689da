from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import ClinicOwned

from .phones import format_phone

PHOTOTYPES = ("I", "II", "III", "IV", "V", "VI")
PHOTOTYPE_CHOICES = [(n, f"Fitzpatrick {roman}") for n, roman in enumerate(PHOTOTYPES, start=1)]


class Client(ClinicOwned):
    """A clinic's record of a person (a client, a patient). The same person may be a client of several clinics:
    each clinic holds its own record and sees only that. Reads and writes of a record are audit-logged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="client_records"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, help_text=_("stored in E.164, e.g. +79123456789"))
    email = models.EmailField(_("email"), blank=True)
    skin_phototype = models.PositiveSmallIntegerField(
        _("skin phototype"), choices=PHOTOTYPE_CHOICES, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["clinic", "user"], name="client_one_record_per_clinic")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)


class ImmutableRecord(models.Model):
    """A record of something that happened: written once, never changed or deleted (a correction is a new row)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRecordError(f"{self._meta.verbose_name} #{self.pk} is a record and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecordError(f"{self._meta.verbose_name} #{self.pk} is a record and cannot be deleted.")


class ImmutableRecordError(Exception):
    pass


DECISION_CHOICES = [
    ("eligible", _("eligible")), ("caution", _("caution")),
    ("postpone", _("postpone")), ("contraindicated", _("contraindicated")),
]


class IntakeRecord(ImmutableRecord, ClinicOwned):
    """One intake questionnaire as answered, with the knowledge-base version and the decision it gave then."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="intakes")
    procedure = models.SlugField(_("procedure"))
    knowledge_version = models.CharField(max_length=20)
    answers = models.JSONField(help_text=_("contraindication code -> true (has it) / false"))
    preparation_confirmed = models.JSONField(default=list, help_text=_("codes of the preparation items confirmed"))
    last_course_end = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=DECISION_CHOICES)
    reasons = models.JSONField(default=list)
    missing_prerequisites = models.JSONField(default=list)
    next_eligible_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision__in=["eligible", "caution", "postpone", "contraindicated"]),
                name="intake_decision_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.procedure} · {self.recorded_at:%Y-%m-%d} · {self.decision}"


class PrerequisiteRecord(ImmutableRecord, ClinicOwned):
    """A prerequisite of the knowledge base (a consultation, a test) done, with when and who recorded it."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="prerequisites")
    procedure = models.SlugField(_("procedure"))
    code = models.CharField(_("prerequisite"), max_length=64)
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("note or document reference"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.client} · {self.code} · {self.done_on}"


class ConsentRecord(ImmutableRecord, ClinicOwned):
    """Signed informed consent to a procedure, under the knowledge-base version the document was made from."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    procedure = models.SlugField(_("procedure"))
    knowledge_version = models.CharField(max_length=20)
    language = models.CharField(
        _("language of the document"), max_length=8, choices=[("ru", "Русский"), ("en", "English")]
    )
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.client} · {self.procedure} · {self.signed_on}"


def client_of(user: Any) -> Client | None:
    """The active clinic's record of a signed-in user, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Client.objects.filter(user_id=user.pk).first()


class DeletionRequest(ClinicOwned):
    """A client's request that the clinic erase their personal data (152-FZ), and when staff carried it out.
    Carrying it out erases the contact data and the account; the medical record stays (clients/erasure.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the clinic")
        DONE = "done", _("carried out")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="deletion_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    carried_out_at = models.DateTimeField(null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "client"], condition=models.Q(status="pending"), name="deletion_one_pending"
            ),
            models.CheckConstraint(condition=models.Q(status__in=["pending", "done"]), name="deletion_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.client} · {self.requested_at:%Y-%m-%d} · {self.status}"
