from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "cryoclinic.clients"
    verbose_name = "Clients"
