from django.urls import path

from . import views

urlpatterns = [
    path("book/<int:clinic_id>/<slug:procedure>/", views.start, name="booking-start"),
    path("book/<int:clinic_id>/<slug:procedure>/consent/", views.consent, name="booking-consent"),
    path("book/<int:clinic_id>/<slug:procedure>/time/", views.choose_time, name="booking-time"),
    path("book/done/<int:course_id>/", views.done, name="booking-done"),
    path("staff/booking-requests/", views.requests, name="booking-requests"),
]
