from django.urls import path

from . import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/salons/<int:pk>/", views.salon_detail, name="directory-salon"),
    path("directory/salons/<int:pk>/request/", views.booking_request, name="directory-request"),
    path("directory/salons/<int:pk>/request/<int:request_id>/", views.request_sent, name="directory-request-sent"),
    path("directory/salons/<int:pk>/review/", views.review, name="directory-review"),
    path("staff/leads/", views.leads, name="staff-leads"),
]
