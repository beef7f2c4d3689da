from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cryoclinic.api"
    verbose_name = "JSON API"
