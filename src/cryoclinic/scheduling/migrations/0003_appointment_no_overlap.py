"""No two live appointments of one practitioner, or in one room, overlap: enforced by PostgreSQL itself.

An exclusion constraint over the time range (btree_gist for the equality part). SQLite has no
exclusion constraints; there the booking service checks and writes inside an IMMEDIATE
transaction (settings.py), which SQLite serializes.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_practitioner_no_overlap
       EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_room_no_overlap
       EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
]
DROP = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_practitioner_no_overlap",
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_room_no_overlap",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_courses_appointments")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
