from typing import Any

from django.core.management.base import BaseCommand

from cryoclinic.clinics import state
from cryoclinic.nitrogen.services import refill_alerts
from cryoclinic.scheduling.reminders import fill_outbox


class Command(BaseCommand):
    help = (
        "Put due reminders in the outbox (the day before a session, result fading, repeat course, nitrogen refills). "
        "Idempotent: run it from a scheduler as often as you like; `send_outbox` delivers."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with state.no_clinic():  # every clinic in turn
            filled = fill_outbox()
            refills = refill_alerts()
        self.stdout.write(
            f"session reminders {filled.session_reminders}, result fading {filled.result_fading}, "
            f"repeat course {filled.repeat_course}, nitrogen refills {refills}"
        )
