from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DepositPolicy

VAT_CODES = [
    (1, _("1: no VAT")), (2, _("2: VAT 0%")), (3, _("3: VAT 10%")), (4, _("4: VAT 20%")),
    (5, _("5: VAT 10/110")), (6, _("6: VAT 20/120")), (7, _("7: VAT 5%")), (8, _("8: VAT 7%")),
    (9, _("9: VAT 5/105")), (10, _("10: VAT 7/107")),
]


class ShopForm(forms.Form):
    shop_id = forms.CharField(label=_("Shop id"), max_length=32)
    secret_key = forms.CharField(
        label=_("Secret key"), required=False, max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored, never shown again; leave empty to keep the stored key."),
    )
    vat_code = forms.TypedChoiceField(label=_("VAT code for receipts"), choices=VAT_CODES, coerce=int, initial=1)


class NoticeForm(forms.Form):
    cancel_notice_hours = forms.IntegerField(
        label=_("Cancellation notice, hours"), min_value=0, max_value=720,
        help_text=_("A course cancelled at least this long before its sessions gets its deposit back."),
    )


class PolicyForm(forms.Form):
    procedure = forms.SlugField(label=_("Procedure"))
    kind = forms.ChoiceField(label=_("Deposit"), choices=DepositPolicy.Kind.choices)
    amount_rub = forms.IntegerField(label=_("Amount, ₽"), required=False, min_value=1, max_value=1_000_000)
    share_percent = forms.IntegerField(label=_("Share of the course's price, %"), required=False, min_value=1,
                                       max_value=100)
