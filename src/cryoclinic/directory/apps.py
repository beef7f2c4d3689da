from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cryoclinic.directory"
    verbose_name = "Salon directory"

    def ready(self) -> None:
        from . import invalidation

        invalidation.connect()
