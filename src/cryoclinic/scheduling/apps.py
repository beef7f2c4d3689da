from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "cryoclinic.scheduling"
    verbose_name = "Scheduling"

    def ready(self) -> None:
        from . import invalidation

        invalidation.connect()
