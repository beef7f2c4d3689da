"""What online booking adds to a clinic's records: the mark on an intake answered online, the one-time codes that
sign a consent, and the signature itself (a simple electronic signature, 63-FZ art. 5 part 2: a code sent to the
person's verified phone or email, entered back by them). Every model is the clinic's own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clients.models import ImmutableRecord
from cryoclinic.clinics.models import ClinicOwned

CHANNELS = [("sms", "SMS"), ("email", "email")]
LANGUAGES = [("ru", "Русский"), ("en", "English")]


class OnlineIntake(ImmutableRecord, ClinicOwned):
    """An intake the client answered online: the clinic sees it so marked, and screens again on the day."""

    intake = models.ForeignKey("clients.IntakeRecord", on_delete=models.PROTECT, related_name="online_marks")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "intake"], name="online_intake_once")]

    def __str__(self) -> str:
        return f"online intake #{self.intake_id}"


class ConsentCode(ClinicOwned):
    """A one-time code sent to sign one consent document; only its hash is kept. Used once, within its life."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="consent_codes")
    procedure = models.SlugField()
    language = models.CharField(max_length=2, choices=LANGUAGES)
    knowledge_version = models.CharField(max_length=20)
    document_sha256 = models.CharField(max_length=64, help_text=_("the document shown when the code was sent"))
    channel = models.CharField(max_length=5, choices=CHANNELS)
    destination = models.CharField(max_length=254, help_text=_("the verified phone or email the code went to"))
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="consent_code_expires_later"),
            models.CheckConstraint(condition=Q(language__in=["ru", "en"]), name="consent_code_language_known"),
        ]

    def __str__(self) -> str:
        return f"consent code #{self.pk} for {self.client}"


class SignedConsent(ImmutableRecord, ClinicOwned):
    """The electronic signature of a consent: what was signed (the document, its version and hash), in which
    language, when, by whom, and the code that proved it. One code signs once (the database keeps it so)."""

    consent = models.ForeignKey("clients.ConsentRecord", on_delete=models.PROTECT, related_name="signatures")
    code = models.ForeignKey(ConsentCode, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    document_html = models.TextField(help_text=_("the consent document exactly as shown and signed"))
    document_sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=2, choices=LANGUAGES)
    knowledge_version = models.CharField(max_length=20)
    channel = models.CharField(max_length=5, choices=CHANNELS)
    destination = models.CharField(max_length=254)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="signed_consent_one_per_code"),
            models.UniqueConstraint(fields=["clinic", "consent"], name="signed_consent_one_per_consent"),
        ]

    def __str__(self) -> str:
        return f"signed consent #{self.consent_id} ({self.language}, {self.signed_at:%Y-%m-%d %H:%M})"
