from django.conf import settings
from django.db import models

from cryoclinic.clinics.models import ClinicOwned


class AuditFields(models.Model):
    """One access to health data or one change to it. Append-only: never edited or deleted."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    actor_roles = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=60, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.subject_type}#{self.subject_id}"


class AuditEvent(AuditFields, ClinicOwned):
    """The clinic's audit log: what its staff, its clients and its tokens read and changed."""

    class Meta(AuditFields.Meta):
        indexes = [models.Index(fields=["clinic", "subject_type", "subject_id"], name="audit_subject_idx")]


class PlatformAuditEvent(AuditFields):
    """The platform's own log: what happened outside any clinic (approvals, refusals of the platform admin)."""

    class Meta(AuditFields.Meta):
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="platform_audit_subject_idx")]


class ApiToken(ClinicOwned):
    """A bearer token for an integration, bound to one clinic. Only its SHA-256 is stored: shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the system that uses it.")
    token_hash = models.CharField(max_length=64, editable=False)
    prefix = models.CharField(max_length=12, editable=False, help_text="The token's first characters, to tell it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"
        constraints = [models.UniqueConstraint(fields=["clinic", "token_hash"], name="api_token_unique_hash")]
        indexes = [models.Index(fields=["token_hash"], name="api_token_hash_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PhoneNumber(models.Model):
    """A person's own mobile number (E.164), verified by a code sent by SMS; one number, one account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_number")
    phone = models.CharField(max_length=20, unique=True, help_text="E.164, e.g. +79123456789")
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.phone} ({'verified' if self.verified_at else 'unverified'})"
