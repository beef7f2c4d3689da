from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cryoclinic.clinics import state
from cryoclinic.treatments.events import alert_due_tasks, create_due_tasks


class Command(BaseCommand):
    help = (
        "Create follow-up tasks for reactions still unresolved past the knowledge base's recovery time, and queue "
        "one clinic email per open task that is due. Idempotent: run it daily from a scheduler; `send_outbox` sends."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        with state.no_clinic():  # every clinic in turn
            created = create_due_tasks(today)
            queued = alert_due_tasks(today)
        self.stdout.write(f"follow-up tasks created {created}, alerts queued {queued}")
