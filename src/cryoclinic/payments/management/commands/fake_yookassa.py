"""Serve the local YooKassa stand-in (`payments/fake_yookassa.py`) for development."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.payments.fake_yookassa import FakeYooKassa


class Command(BaseCommand):
    help = "Serve a local stand-in for YooKassa's API v3 (payments, refunds, notifications to the webhook)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8010)
        parser.add_argument(
            "--shop", action="append", default=[], metavar="ID:SECRET:WEBHOOK_URL",
            help="a shop it accepts, and where its notifications go (repeat for several)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fake = FakeYooKassa()
        for spec in options["shop"]:
            shop_id, sep, rest = spec.partition(":")
            secret, _sep, webhook = rest.partition(":")
            if not sep or not shop_id.isdigit() or not secret:
                raise CommandError(f"--shop {spec!r}: give ID:SECRET[:WEBHOOK_URL], the id in digits.")
            fake.add_shop(shop_id, secret, webhook)
        base = fake.start(options["port"])
        self.stdout.write(f"YooKassa stand-in at {base}: set YOOKASSA_API_URL={base}/v3 (Ctrl-C stops it)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            fake.stop()
