from django.urls import path

from . import staff_views, views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/salons/<int:pk>/", views.salon_detail, name="directory-salon"),
    path("directory/salons/<int:pk>/request/", views.booking_request, name="directory-request"),
    path("directory/salons/<int:pk>/request/<int:request_id>/", views.request_sent, name="directory-request-sent"),
    path("directory/salons/<int:pk>/review/", views.review, name="directory-review"),
    path("staff/leads/", views.leads, name="staff-leads"),
    path("staff/prices/", staff_views.prices, name="staff-prices"),
    path("staff/salons/<int:pk>/claim/", staff_views.claim, name="staff-salon-claim"),
    path("platform/directory/", staff_views.platform_directory, name="platform-directory"),
    path("platform/directory/claims/<int:pk>/", staff_views.decide_claim, name="platform-decide-claim"),
    path("platform/directory/rows/<int:pk>/confirm/", staff_views.confirm_row, name="platform-confirm-row"),
    path("platform/reviews/", staff_views.platform_reviews, name="platform-reviews"),
    path("platform/reviews/<int:pk>/", staff_views.moderate_review, name="platform-moderate-review"),
]
