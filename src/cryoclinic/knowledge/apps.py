from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cryoclinic.knowledge"
    verbose_name = "Knowledge base"
