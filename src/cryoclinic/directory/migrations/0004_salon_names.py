"""Salon names and addresses in both languages, with where they come from. The source's salons get their
reviewed Russian renderings (data/salon_names_ru.yaml, back-transliterated from the source's English); other
salons keep their listed text, filed under its language by script. Nothing listed is changed."""

from django.db import migrations, models

from cryoclinic.directory import names


def fill_names(apps, schema_editor):
    Salon = apps.get_model("directory", "Salon")
    for salon in Salon.objects.select_related("city"):
        rendered = names.for_source_row(salon.city.slug, salon.name, salon.address)
        if rendered is not None:
            origin = "source_translation"
        else:
            rendered = names.by_script(salon.name, salon.address)
            origin = "clinic" if salon.clinic_id else "import" if salon.prices.exists() else "staff"
        for field, value in vars(rendered).items():
            setattr(salon, field, value)
        salon.names_origin = origin
        salon.save(update_fields=[*vars(rendered), "names_origin"])


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0003_clinicprice'),
    ]

    operations = [
        migrations.AddField(
            model_name='salon',
            name='address_en',
            field=models.CharField(blank=True, max_length=300, verbose_name='address (English)'),
        ),
        migrations.AddField(
            model_name='salon',
            name='address_ru',
            field=models.CharField(blank=True, max_length=300, verbose_name='address (Russian)'),
        ),
        migrations.AddField(
            model_name='salon',
            name='name_en',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (English)'),
        ),
        migrations.AddField(
            model_name='salon',
            name='name_ru',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Russian)'),
        ),
        migrations.AddField(
            model_name='salon',
            name='names_origin',
            field=models.CharField(choices=[('source_translation', "English as in the source's translation; Russian derived from it by back-transliteration"), ('import', 'as in the imported price list'), ('clinic', 'given by the clinic that runs the salon'), ('staff', 'entered by platform staff')], default='staff', max_length=20, verbose_name='where the names come from'),
        ),
        migrations.AlterField(
            model_name='salon',
            name='address',
            field=models.CharField(max_length=300, verbose_name='address as listed'),
        ),
        migrations.AlterField(
            model_name='salon',
            name='name',
            field=models.CharField(blank=True, help_text='as first listed; empty where the source gives none', max_length=200, verbose_name='name as listed'),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
    ]
