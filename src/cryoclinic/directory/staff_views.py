"""The clinic's side of the directory (its price list, claiming its salon) and the platform's (deciding claims,
confirming the readings of ambiguous rows). Pages translate; the rules live in `pricelist`, `claims`, `importer`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN, PLATFORM_ADMIN
from cryoclinic.clinics.services import clinic_or_404
from cryoclinic.knowledge import services as knowledge

from . import claims, importer, pricelist, services
from .forms import ClinicPriceForm, SalonClaimForm
from .models import ClinicPrice, PendingRow, Review, Salon, SalonClaim
from .names import SalonNames


def _procedure_names() -> dict[str, object]:
    return {p.slug: p.name for p in knowledge.list_procedures()}


@roles_required(ADMIN)
@require_http_methods(["GET", "POST"])
def prices(request: HttpRequest) -> HttpResponse:
    """The clinic's price list (what it offers), its salons in the directory and its claims."""
    clinic = clinic_or_404()
    form = ClinicPriceForm()
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                pricelist.remove_price(request.POST.get("procedure", ""), by=request.user, request=request)
            except pricelist.PriceListError as exc:
                error = str(exc)
            else:
                messages.success(request, _("Removed from the price list."))
                return redirect("staff-prices")
        else:
            form = ClinicPriceForm(request.POST)
            if form.is_valid():
                try:
                    data = form.cleaned_data
                    pricelist.set_price(data["procedure"], data["amount_rub"], by=request.user, request=request)
                except pricelist.PriceListError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                else:
                    messages.success(request, _("The price list is saved: the directory shows it now."))
                    return redirect("staff-prices")
    names = _procedure_names()
    context = {
        "clinic": clinic,
        "entries": [(p, names.get(p.procedure)) for p in ClinicPrice.objects.all()],
        "procedures": knowledge.list_procedures(),
        "form": form,
        "error": error,
        "salons": Salon.objects.filter(clinic=clinic).select_related("city"),
        "claims": SalonClaim.objects.filter(clinic=clinic).select_related("salon__city")[:50],
    }
    failed = request.method == "POST"
    return render(request, "directory/staff_prices.html", context, status=422 if failed else 200)


@roles_required(ADMIN)
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Claim a salon for the clinic, correcting its name and address in both languages."""
    clinic = clinic_or_404()
    salon = get_object_or_404(Salon.objects.select_related("city", "clinic"), pk=pk)
    initial = {"name_ru": salon.name_ru, "name_en": salon.name_en or salon.name,
               "address_ru": salon.address_ru, "address_en": salon.address_en or salon.address}
    form = SalonClaimForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            claims.claim_salon(salon, by=request.user, names=SalonNames(**form.cleaned_data), request=request)
        except claims.ClaimError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Your claim is sent: a platform admin decides on it."))
            return redirect("staff-prices")
    context = {
        "clinic": clinic,
        "salon": salon,
        "form": form,
        "refusal": claims.may_claim(request.user, salon),
        "language": get_language() or "ru",
    }
    return render(request, "directory/staff_claim.html", context, status=422 if request.method == "POST" else 200)


def _platform_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "pending": SalonClaim.objects.filter(status=SalonClaim.Status.PENDING).select_related(
            "salon__city", "salon__clinic", "clinic", "requested_by"
        ),
        "decided": SalonClaim.objects.exclude(status=SalonClaim.Status.PENDING).select_related(
            "salon__city", "clinic", "decided_by"
        )[:20],
        "rows": PendingRow.objects.filter(resolved_at__isnull=True).select_related("city"),
        "error": error,
    }
    return render(request, "directory/platform.html", context, status=status)


@roles_required(PLATFORM_ADMIN)
@require_GET
def platform_directory(request: HttpRequest) -> HttpResponse:
    """The platform admin's desk for the directory: claims to decide, ambiguous rows to confirm."""
    return _platform_page(request)


@roles_required(PLATFORM_ADMIN)
@require_POST
def decide_claim(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SalonClaim, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        if decision == "approve":
            decided = claims.approve_claim(found, by=request.user, request=request)
        elif decision == "reject":
            reason = request.POST.get("reason", "")
            decided = claims.reject_claim(found, by=request.user, reason=reason, request=request)
        else:
            raise claims.ClaimError("decision", _("The decision must be “approve” or “reject”."))
    except claims.ClaimError as exc:
        return _platform_page(request, error=str(exc), status=422)
    messages.success(request, claims.decision_message(decided))
    return redirect("platform-directory")


@roles_required(PLATFORM_ADMIN)
@require_POST
def confirm_row(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: confirm a reading of an ambiguous row (the proposal, unless another is chosen)."""
    row = get_object_or_404(PendingRow, pk=pk)
    choice = request.POST.get("choice", "0")
    try:
        if not choice.isdigit():
            raise ValueError(_("choose a reading between 1 and %(count)d") % {"count": len(row.candidates)})
        salon = importer.confirm_pending(row, int(choice), by=request.user, request=request)
    except ValueError as exc:
        return _platform_page(request, error=f"{row.raw}: {exc}", status=422)
    messages.success(
        request, _("Confirmed: %(address)s. The salon is listed with its price.") % {"address": salon.address}
    )
    return redirect("platform-directory")


def _reviews_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    reviews = Review.objects.select_related("salon__city", "author", "rated_clinic", "moderated_by")
    context = {
        "pending": reviews.filter(status=Review.Status.PENDING).order_by("created_at"),
        "decided": reviews.exclude(status=Review.Status.PENDING).order_by("-moderated_at", "-created_at")[:20],
        "error": error,
    }
    return render(request, "directory/platform_reviews.html", context, status=status)


@roles_required(PLATFORM_ADMIN)
@require_GET
def platform_reviews(request: HttpRequest) -> HttpResponse:
    """The platform admin's moderation desk: reviews wait here until approved (then they count) or rejected."""
    return _reviews_page(request)


@roles_required(PLATFORM_ADMIN)
@require_POST
def moderate_review(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Review, pk=pk)
    try:
        services.moderate_review(found, request.POST.get("decision", ""), by=request.user, request=request)  # type: ignore[arg-type]
    except services.DirectoryError as exc:
        return _reviews_page(request, error=str(exc), status=422)
    messages.success(request, _("The review is moderated."))
    return redirect("platform-reviews")
