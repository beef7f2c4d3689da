from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cryoclinic.demo import DEMO_PASSWORD, load_demo
from cryoclinic.reports.demo import load_demo_history


class Command(BaseCommand):
    help = "Load the demo clinic (idempotent). Refused when DEBUG is off: demo passwords are public."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even when DEBUG is off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo accounts with DEBUG off; pass --force if you mean it.")
        counts = load_demo(with_courses=True)
        load_demo_history()
        self.stdout.write(
            "Demo clinic loaded: {clinics} clinic(s), {practitioners} practitioners, {rooms} rooms, "
            "{clients} clients.".format(**counts)
        )
        self.stdout.write(
            f"Log in as demo-admin, demo-reception, demo-doctor or demo-client; password {DEMO_PASSWORD}"
        )
