"""Statistics come from cited prices only: the old demo's fictional price of its clinic (its price now lives in
the clinic's price list, 0003) is deleted. Ambiguous rows already waiting get their readings ranked, against the
prices imported from the same source for the same procedure (the certain rows of their table)."""

from django.db import migrations, models

from cryoclinic.directory.parsing import Reading, rank_readings

OLD_DEMO_SOURCE = "demo clinic's price list (fictional)"


def drop_fictional_prices(apps, schema_editor):
    PriceEntry = apps.get_model("directory", "PriceEntry")
    PriceEntry.objects.filter(models.Q(source=OLD_DEMO_SOURCE) | models.Q(source__icontains="(fictional)")).delete()


def rank_pending_rows(apps, schema_editor):
    PendingRow = apps.get_model("directory", "PendingRow")
    PriceEntry = apps.get_model("directory", "PriceEntry")
    for row in PendingRow.objects.filter(resolved_at__isnull=True):
        reference = list(
            PriceEntry.objects.filter(source=row.source, procedure=row.procedure).values_list("amount_rub", flat=True)
        )
        readings = [Reading(c["address"], c["price_rub"]) for c in row.candidates]
        row.candidates = [
            {"address": r.reading.address, "price_rub": r.reading.price_rub, "robust_z": r.robust_z}
            for r in rank_readings(readings, reference)
        ]
        row.save(update_fields=["candidates"])


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_salonclaim'),
    ]

    operations = [
        migrations.AlterField(
            model_name='pendingrow',
            name='candidates',
            field=models.JSONField(help_text='the possible readings, most plausible first: [{address, price_rub, robust_z}]'),
        ),
        migrations.RunPython(drop_fictional_prices, migrations.RunPython.noop),
        migrations.RunPython(rank_pending_rows, migrations.RunPython.noop),
    ]
