from django.db import migrations, models


def seal_stored_keys(apps, schema_editor):
    """Keys stored in the clear before sealing are sealed (a Fernet token starts with "gAAAAA")."""
    from cryoclinic.payments.secrets import seal

    Shop = apps.get_model("payments", "Shop")
    for shop in Shop._base_manager.all():
        if not shop.secret_key.startswith("gAAAAA"):
            Shop._base_manager.filter(pk=shop.pk).update(secret_key=seal(shop.secret_key))


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='shop',
            name='secret_key',
            field=models.CharField(help_text='stored encrypted', max_length=500, verbose_name='secret key'),
        ),
        migrations.RunPython(seal_stored_keys, migrations.RunPython.noop),
    ]
