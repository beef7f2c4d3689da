import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cryoclinic.clinics import citus
from cryoclinic.clinics.rls import clinic_owned_models, same_clinic_foreign_keys


class Command(BaseCommand):
    help = (
        "Print the SQL that distributes this database by clinic with Citus (reference tables, primary keys "
        "(clinic_id, id), co-located distributed tables). Refuses while a co-location rule is broken. With --doc, "
        "refresh the generated parts of docs/scale-out.md (the table lists and the SQL) instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--doc", type=Path, help="the scale-out document to refresh, e.g. docs/scale-out.md")

    def handle(self, *args: Any, doc: Path | None = None, **options: Any) -> None:
        broken = citus.rules_broken()
        if broken:
            raise CommandError("The schema breaks Citus's co-location rules:\n" + "\n".join(broken))
        if doc is None:
            self.stdout.write("\n".join(citus.statements()))
            return
        if not doc.exists():
            raise CommandError(f"No document at {doc}.")
        doc.write_text(refreshed(doc.read_text()))
        self.stdout.write(f"{doc} refreshed.")


def refreshed(text: str) -> str:
    owned, shared = clinic_owned_models(), citus.shared_models()
    rows = []
    for model in owned:
        keys = ", ".join(
            f"`{f.column}` → `{f.related_model._meta.db_table}`" for f in same_clinic_foreign_keys(model)
        ) or "—"
        rows.append(f"| `{model._meta.db_table}` | {model._meta.verbose_name} | {keys} |")
    table = (
        f"### Distributed by `clinic_id` ({len(owned)} tables, co-located)\n\n"
        "| table | what | foreign keys over (clinic_id, id) |\n|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    text = re.sub(r"### Distributed by `clinic_id` \(\d+ tables, co-located\)\n\n(?:\|[^\n]*\n)+", table, text)
    text = re.sub(r"### Reference tables \(\d+:", f"### Reference tables ({len(shared)}:", text)
    names = ", ".join(f"`{m._meta.db_table}`" for m in shared)
    text = re.sub(r"users and Django's own tables: [^\n]*\.\n", f"users and Django's own tables: {names}.\n", text)
    return re.sub(r"```sql\n.*?\n```", lambda _m: "```sql\n" + "\n".join(citus.statements()) + "\n```", text,
                  flags=re.S)
