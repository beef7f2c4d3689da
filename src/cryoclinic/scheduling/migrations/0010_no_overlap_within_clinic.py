"""The exclusion constraints against double booking now include the clinic, as every constraint of a
clinic-owned table does (Citus co-location, docs/scale-out.md). A practitioner and a room belong to one clinic,
so nothing is weaker: the same two rows still clash."""

from django.db import migrations

CREATE = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_practitioner_no_overlap",
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_room_no_overlap",
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_practitioner_no_overlap
       EXCLUDE USING gist (clinic_id WITH =, practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_room_no_overlap
       EXCLUDE USING gist (clinic_id WITH =, room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
]
DROP = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_practitioner_no_overlap",
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS appointment_room_no_overlap",
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_practitioner_no_overlap
       EXCLUDE USING gist (practitioner_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_room_no_overlap
       EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0009_alter_absence_clinic_alter_calendarfeed_clinic_and_more")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
