from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cryoclinic.demo import DEMO_PASSWORD, load_demo
from cryoclinic.reports.demo import load_demo_history


class Command(BaseCommand):
    help = "Load the demo platform: two clinics (idempotent). Refused when DEBUG is off: demo passwords are public."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even when DEBUG is off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo accounts with DEBUG off; pass --force if you mean it.")
        counts = load_demo(with_courses=True)
        load_demo_history()
        self.stdout.write(
            "Demo platform loaded: {clinics} clinics, {practitioners} practitioners, {rooms} rooms, "
            "{clients} clients.".format(**counts)
        )
        self.stdout.write(
            "Log in as demo-admin, demo-reception, demo-doctor, demo-client (the first clinic), demo2-admin, "
            f"demo2-reception, demo2-doctor, demo2-client (the second) or demo-platform; password {DEMO_PASSWORD}"
        )
