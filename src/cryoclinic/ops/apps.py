from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cryoclinic.ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from .schedules import post_migrate as write_schedules

        # Every `migrate` (a deploy, `make run`) brings the job schedules up to date. Sent per app with models:
        # this app has none, so listen for django_q's, whose table the schedules live in.
        post_migrate.connect(write_schedules, sender=apps.get_app_config("django_q"),
                             dispatch_uid="cryoclinic.ops.schedules")
