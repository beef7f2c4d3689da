from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cryoclinic.knowledge"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import ClinicKnowledgeItem
        from .services import invalidate_clinic_items

        # Every path that changes a clinic's own item (page, admin, API) saves or deletes it: the cache hears it.
        post_save.connect(invalidate_clinic_items, sender=ClinicKnowledgeItem, dispatch_uid="knowledge-cache-save")
        post_delete.connect(invalidate_clinic_items, sender=ClinicKnowledgeItem, dispatch_uid="knowledge-cache-del")
