"""Deposits in the admin (clinic admins, in their clinic): the shop (its secret write-only), the deposit per
procedure, and the deposits taken (read only: only YooKassa's answers change them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cryoclinic.clinics.admin import ClinicOwnedAdmin

from .models import Deposit, DepositPolicy, Shop
from .secrets import seal


class ShopAdminForm(forms.ModelForm):
    secret_key = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False),
        help_text="Stored, never shown again; leave empty to keep the stored key.",
    )

    class Meta:
        model = Shop
        fields = ["shop_id", "secret_key", "vat_code"]

    def clean_secret_key(self) -> str:
        secret = self.cleaned_data["secret_key"].strip()
        if not secret and not self.instance.pk:
            raise forms.ValidationError("Give the shop's secret key.")
        return seal(secret) if secret else self.instance.secret_key


@admin.register(Shop)
class ShopAdmin(ClinicOwnedAdmin):
    form = ShopAdminForm
    list_display = ["shop_id", "vat_code", "updated_at"]


@admin.register(DepositPolicy)
class DepositPolicyAdmin(ClinicOwnedAdmin):
    list_display = ["procedure", "kind", "amount_rub", "share_percent", "updated_at"]


@admin.register(Deposit)
class DepositAdmin(ClinicOwnedAdmin):
    list_display = ["pk", "course", "amount_rub", "status", "payment_id", "paid_at", "refunded_at", "last_error"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Deposit._meta.fields if f.name != "clinic"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
