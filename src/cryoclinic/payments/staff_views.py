"""The clinic admin's deposit settings: the YooKassa shop, the cancellation notice, the deposit per procedure."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN
from cryoclinic.clinics.services import clinic_or_404
from cryoclinic.knowledge import services as knowledge

from . import services
from .forms import NoticeForm, PolicyForm, ShopForm
from .models import Deposit, DepositPolicy

FORMS = {"shop": ShopForm, "notice": NoticeForm, "policy": PolicyForm}


def _apply(request: HttpRequest, action: str, form: Form) -> str:
    """Carry out the valid form's action; returns the message to show."""
    clinic = clinic_or_404()
    data = form.cleaned_data
    if action == "shop":
        services.save_shop(clinic, shop_id=data["shop_id"], secret_key=data["secret_key"], vat_code=data["vat_code"])
        return _("The YooKassa shop is saved: clients can pay deposits online.")
    if action == "notice":
        services.set_notice_hours(clinic, data["cancel_notice_hours"])
        return _("The cancellation notice is saved.")
    services.set_policy(data["procedure"], kind=data["kind"], amount_rub=data["amount_rub"],
                        share_percent=data["share_percent"])
    return _("The deposit is saved.")


@roles_required(ADMIN)
@require_http_methods(["GET", "POST"])
def deposits(request: HttpRequest) -> HttpResponse:
    clinic = clinic_or_404()
    forms = {
        "shop": ShopForm(initial={"shop_id": getattr(services.shop_of(clinic), "shop_id", ""),
                                  "vat_code": getattr(services.shop_of(clinic), "vat_code", 1)}),
        "notice": NoticeForm(initial={"cancel_notice_hours": clinic.cancel_notice_hours}),
        "policy": PolicyForm(),
    }
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action == "remove-shop":
            services.remove_shop(clinic)
            audit.record(request.user, "change", clinic, request=request, detail="YooKassa shop removed")
            messages.success(request, _("The shop is removed: no online deposits are taken."))
            return redirect("payments-staff")
        if action == "remove-policy":
            services.remove_policy(request.POST.get("procedure", ""))
            messages.success(request, _("The deposit is removed."))
            return redirect("payments-staff")
        if action in FORMS:
            form = FORMS[action](request.POST)
            forms[action] = form
            if form.is_valid():
                try:
                    message = _apply(request, action, form)
                except services.PaymentsError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    audit.record(request.user, "change", clinic, request=request, detail=f"deposits: {action}")
                    messages.success(request, message)
                    return redirect("payments-staff")
    names = {p.slug: p.name for p in knowledge.list_procedures()}
    context = {
        "clinic": clinic,
        "shop": services.shop_of(clinic),
        "webhook_url": request.build_absolute_uri(reverse("payments-webhook", args=[clinic.slug])),
        "forms": forms,
        "policies": [(p, names.get(p.procedure)) for p in DepositPolicy.objects.all()],
        "procedures": knowledge.list_procedures(),
        "deposits": Deposit.objects.select_related("course__client")[:50],
    }
    return render(request, "payments/staff_deposits.html", context, status=422 if request.method == "POST" else 200)
