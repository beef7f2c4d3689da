from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cryoclinic.notifications.services import deliver_due


class Command(BaseCommand):
    help = "Deliver every due message in the outbox (email, SMS). Run it from a scheduler every few minutes."

    def handle(self, *args: Any, **options: Any) -> None:
        report = deliver_due(timezone.now())
        self.stdout.write(f"sent {report.sent}, failed {report.failed}")
