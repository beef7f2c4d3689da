from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cryoclinic import privacy_views, views
from cryoclinic.api.api import api
from cryoclinic.clients import views as client_views
from cryoclinic.clinics import views as clinic_views
from cryoclinic.knowledge import views as knowledge_views
from cryoclinic.payments.urls import webhook_urlpatterns
from cryoclinic.scheduling import views as scheduling_views

admin.site.site_header = "cryoclinic administration"

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", views.health, name="health"),
    path("calendar/<str:token>.ics", scheduling_views.calendar_feed, name="calendar-feed"),
    *webhook_urlpatterns,
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("procedures/", knowledge_views.procedure_list, name="procedure-list"),
    path("procedures/<slug:slug>/", knowledge_views.procedure_detail, name="procedure-detail"),
    path("", include("cryoclinic.screening.urls")),
    path("", include("cryoclinic.directory.urls")),
    path("", include("cryoclinic.scheduling.urls")),
    path("", include("cryoclinic.treatments.urls")),
    path("", include("cryoclinic.guidance.urls")),
    path("", include("cryoclinic.reports.urls")),
    path("", include("cryoclinic.fhir.urls")),
    path("", include("cryoclinic.booking.urls")),
    path("", include("cryoclinic.payments.urls")),
    path("accounts/after-login/", views.after_login, name="after-login"),
    path("accounts/", include("cryoclinic.accounts.urls")),
    path("account/", client_views.my_record, name="my-record"),
    path("account/edit/", client_views.my_record_edit, name="my-record-edit"),
    path("account/data/", privacy_views.my_data, name="my-data"),
    path("account/data.json", privacy_views.my_data_download, name="my-data-download"),
    path("account/data/delete/", privacy_views.my_data_delete, name="my-data-delete"),
    path("staff/deletion-requests/", privacy_views.deletion_requests, name="staff-deletion-requests"),
    path("staff/", views.staff_dashboard, name="staff-dashboard"),
    path("clinic/switch/", clinic_views.switch_clinic, name="switch-clinic"),
    path("staff/clients/", client_views.client_list, name="staff-client-list"),
    path("staff/clients/<int:pk>/", client_views.client_detail, name="staff-client-detail"),
)
