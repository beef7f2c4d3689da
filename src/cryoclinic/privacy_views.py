"""My data (the person's own, across clinics) and the clinic admin's deletion requests (rules: privacy.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cryoclinic import privacy
from cryoclinic.accounts.access import roles_required, signed_in
from cryoclinic.accounts.roles import ADMIN
from cryoclinic.clients.models import DeletionRequest


def _person(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@signed_in
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    context = {"account": privacy.account_data(person), "held": privacy.held_by_clinics(person, request)}
    return render(request, "accounts/my_data.html", context)


@signed_in
@require_GET
def my_data_download(request: HttpRequest) -> HttpResponse:
    language = "en" if (get_language() or "ru").startswith("en") else "ru"
    document = privacy.export(_person(request), language, request)
    response = HttpResponse(document.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@signed_in
@require_POST
def my_data_delete(request: HttpRequest) -> HttpResponse:
    filed = privacy.request_deletion(_person(request), request)
    if filed:
        messages.success(request, _("Your request is sent to %(count)s clinic(s). They will erase your personal "
                                    "data; your medical record is kept as the law requires.") % {"count": len(filed)})
    else:
        messages.info(request, _("No clinic holds a record of you: there is nothing for a clinic to erase."))
    return redirect("my-data")


@roles_required(ADMIN)
@require_http_methods(["GET", "POST"])
def deletion_requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        row = DeletionRequest.objects.filter(pk=_int(request.POST.get("request"))).first()
        if row is None:
            raise Http404(_("No such deletion request here."))
        try:
            privacy.carry_out(row, by=_person(request), request=request)
        except privacy.ErasureError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Personal data erased; the medical record is kept."))
        return redirect("staff-deletion-requests")
    rows = DeletionRequest.objects.select_related("client").order_by("status", "-requested_at")
    return render(request, "accounts/deletion_requests.html", {"rows": rows})


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0
