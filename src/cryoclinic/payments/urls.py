from django.urls import path

from . import staff_views, views

urlpatterns = [
    path("account/courses/<int:pk>/deposit/", views.deposit, name="payments-deposit"),
    path("account/courses/<int:pk>/deposit/return/", views.deposit_return, name="payments-deposit-return"),
    path("staff/deposits/", staff_views.deposits, name="payments-staff"),
]
# Outside the language prefix: YooKassa posts here.
webhook_urlpatterns = [
    path("payments/yookassa/<slug:clinic>/", views.webhook, name="payments-webhook"),
]
