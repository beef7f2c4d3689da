"""Send again the refunds YooKassa did not take (deposits "refund under way"), with their stored keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.payments import services
from cryoclinic.payments.models import Deposit


class Command(BaseCommand):
    help = "Send again a clinic's pending deposit refunds (idempotent: a refund already made is not made twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("clinic", help="the clinic's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic {options['clinic']!r}.")
        with state.activate(clinic):
            for deposit in Deposit.objects.filter(status=Deposit.Status.REFUND_PENDING):
                sent = services.send_refund(deposit)
                self.stdout.write(f"deposit {sent.pk}: {sent.status} {sent.last_error}".rstrip())
