from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cryoclinic.guidance"
    verbose_name = "Freeze-dose guidance"
