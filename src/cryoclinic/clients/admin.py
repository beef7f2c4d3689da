from django.contrib import admin

from cryoclinic.accounts import audit
from cryoclinic.clinics.admin import ClinicOwnedAdmin

from .models import Client


@admin.register(Client)
class ClientAdmin(ClinicOwnedAdmin):
    list_display = ("full_name", "phone", "email", "date_of_birth")
    search_fields = ("full_name", "phone", "email")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        audit.record(request.user, "view", ("clients.client", str(object_id)), request=request,
                     detail="admin change view")
        return super().change_view(request, object_id, form_url, extra_context)
