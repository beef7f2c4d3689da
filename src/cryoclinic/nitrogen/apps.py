from django.apps import AppConfig


class NitrogenConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cryoclinic.nitrogen"
    verbose_name = "Liquid nitrogen stock"
