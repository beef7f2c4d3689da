"""The outbox: every message sent (reminders, alerts) is a row first, then delivered.

A message's `key` is unique (in its clinic), so filling the outbox twice for the same event adds nothing: the
commands that fill it are idempotent by construction, not by care. A worker claims a message before sending it
(`claimed_by`, `claimed_until`), so two workers never send the same one. A clinic's messages are the clinic's
own (`OutboxMessage`); the platform's (a booking request to a salon not on the platform) are `PlatformMessage`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cryoclinic.clinics.models import ClinicOwned


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")


class Message(models.Model):
    key = models.CharField(max_length=200, help_text=_("one event, one message: e.g. session-reminder:42:sms"))
    kind = models.CharField(max_length=50, help_text=_("e.g. session_reminder, repeat_course, result_fading"))
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254, help_text=_("an email address, or a phone number in E.164"))
    language = models.CharField(max_length=8, default="ru")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    due_at = models.DateTimeField(help_text=_("not sent before this moment"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True, help_text=_("the delivery run sending it now"))
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text=_("until then no other delivery run may take the message")
    )

    class Meta:
        abstract = True
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.channel})"


class OutboxMessage(Message, ClinicOwned):
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )

    class Meta(Message.Meta):
        indexes = [models.Index(fields=["sent_at", "due_at"], name="outbox_pending_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["email", "sms"]), name="outbox_channel_known"),
            models.UniqueConstraint(fields=["clinic", "key"], name="outbox_unique_key"),
        ]


class PlatformMessage(Message):
    """A message the platform itself sends, on no clinic's behalf."""

    class Meta(Message.Meta):
        indexes = [models.Index(fields=["sent_at", "due_at"], name="platform_message_pending_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["email", "sms"]), name="platform_message_channel_known"),
            models.UniqueConstraint(fields=["key"], name="platform_message_unique_key"),
        ]
