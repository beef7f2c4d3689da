from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cryoclinic.clinics import citus


class Command(BaseCommand):
    help = (
        "Print the SQL that distributes this database by clinic with Citus (reference tables, primary keys "
        "(clinic_id, id), co-located distributed tables). Refuses while a co-location rule is broken."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = citus.rules_broken()
        if broken:
            raise CommandError("The schema breaks Citus's co-location rules:\n" + "\n".join(broken))
        self.stdout.write("\n".join(citus.statements()))
