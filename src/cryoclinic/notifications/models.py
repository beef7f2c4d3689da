"""The outbox: every message the clinic sends (reminders, alerts) is a row first, then delivered.

A message's `key` is unique, so filling the outbox twice for the same event adds nothing: the
commands that fill it are idempotent by construction, not by care. A worker claims a message before
sending it (`claimed_by`, `claimed_until`), so two workers never send the same one.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")


class OutboxMessage(models.Model):
    key = models.CharField(
        max_length=200, unique=True, help_text=_("one event, one message: e.g. session-reminder:42:sms")
    )
    kind = models.CharField(max_length=50, help_text=_("e.g. session_reminder, repeat_course, result_fading"))
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254, help_text=_("an email address, or a phone number in E.164"))
    language = models.CharField(max_length=8, default="ru")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    client = models.ForeignKey(
        "clients.Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox_messages"
    )
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
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["sent_at", "due_at"], name="outbox_pending_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=["email", "sms"]), name="outbox_channel_known"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.channel})"
