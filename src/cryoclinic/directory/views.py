"""Public directory pages, the booking request, reviews, and the clinic's leads.

The pages add the next free time of a salon on the platform from its clinic's calendar (`scheduling.availability`):
the composition happens here, so that the directory's services stay below scheduling, which reads their prices."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cryoclinic.accounts.access import public, roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, RECEPTION, has_role
from cryoclinic.clinics.models import Clinic
from cryoclinic.knowledge import services as knowledge
from cryoclinic.scheduling import availability

from . import claims, live, services
from .charts import stats_chart_svg
from .forms import BookingRequestForm, ReviewForm
from .models import BookingRequest, City, Review, Salon, SalonClaim


def _next_free(clinics: list[Clinic], procedure: str) -> dict[int, object]:
    """Clinic id -> the start of its next free session of the procedure (None: nothing free soon)."""
    unique = {c.pk: c for c in clinics}.values()
    return {clinic.pk: availability.next_free_start(clinic, procedure) for clinic in unique}


@public
def directory(request: HttpRequest) -> HttpResponse:
    procedure = request.GET.get("procedure") or "facial-cryomassage"
    city = request.GET.get("city") or None
    sort = request.GET.get("sort") or "price"
    try:
        knowledge.get_procedure(procedure)
        rows = services.search(city=city, procedure=procedure, sort=sort)
    except (knowledge.UnknownProcedure, services.DirectoryError) as exc:
        raise Http404(str(exc)) from exc
    stats = services.stats(procedure)
    if city:
        stats = [s for s in stats if s.city.slug == city]
    language = get_language() or "ru"
    basis = services.stats_basis(stats)
    next_free = _next_free([r.salon.clinic for r in rows if r.live], procedure)  # type: ignore[misc]
    context = {
        "rows": [
            (r, services.rating_label(r.rating_count, r.rating_average), next_free.get(r.salon.clinic_id or 0))
            for r in rows
        ],
        "cities": City.objects.order_by("name_en"),
        "procedures": knowledge.list_procedures(),
        "selected": {"city": city or "", "procedure": procedure, "sort": sort},
        "stats": stats,
        "basis": basis,
        "basis_sources": [services.source_name(ref, language) for ref in basis.sources],
        "live_prices": services.live_prices(procedure, city),
        "chart": stats_chart_svg(stats, language),
        "language": language,
    }
    return render(request, "directory/directory.html", context)


def _salon_context(request: HttpRequest, salon: Salon, **extra: object) -> dict[str, object]:
    approved = salon.reviews.filter(status=Review.Status.APPROVED).select_related("author")
    count = approved.count()
    average = sum(r.stars for r in approved) / count if count else None
    language = get_language() or "ru"
    on_platform = salon.on_platform
    procedure_names = {p.slug: p.name for p in knowledge.list_procedures()}
    live_rows = [
        (slug, procedure_names.get(slug), amount, availability.next_free_start(salon.clinic, slug))  # type: ignore[arg-type]
        for slug, amount in (live.price_list(salon.clinic) if on_platform else {}).items()  # type: ignore[arg-type]
    ]
    prices = list(salon.prices.all())
    is_clinic_admin = request.user.is_authenticated and has_role(request.user, ADMIN)
    return {
        "salon": salon,
        "salon_name": salon.name_in(language),
        "salon_address": salon.address_in(language),
        "on_platform": on_platform,
        "live_rows": live_rows,
        "prices": prices,
        "sources": sorted({services.source_name(p.source, language) for p in prices}),
        "pending_claim": SalonClaim.objects.filter(salon=salon, status=SalonClaim.Status.PENDING).first(),
        "claim_refusal": claims.may_claim(request.user, salon) if is_clinic_admin else None,
        "is_clinic_admin": is_clinic_admin,
        "procedure_names": procedure_names,
        "reviews": approved,
        "rating": services.rating_label(count, average),
        "request_form": BookingRequestForm(),
        "review_form": ReviewForm(),
        "review_refusal": services.may_review(request.user, salon) if request.user.is_authenticated else None,
        **extra,
    }


@public
def salon_detail(request: HttpRequest, pk: int) -> HttpResponse:
    salon = get_object_or_404(Salon.objects.select_related("city", "clinic"), pk=pk)
    return render(request, "directory/salon.html", _salon_context(request, salon))


@public
@require_POST
def booking_request(request: HttpRequest, pk: int) -> HttpResponse:
    salon = get_object_or_404(Salon, pk=pk)
    form = BookingRequestForm(request.POST)
    procedure = request.POST.get("procedure") or "facial-cryomassage"
    if procedure not in knowledge.procedure_slugs():
        form.add_error(None, f"Unknown procedure {procedure!r}.")
    elif salon.on_platform and procedure not in (live.price_list(salon.clinic) or {procedure: 0}):  # type: ignore[arg-type]
        # A clinic that has not published its price list yet still takes requests for any procedure.
        form.add_error(None, _("The clinic does not offer this procedure: choose one of its price list."))
    if form.is_valid():
        try:
            booking = services.request_booking(
                salon,
                ip=request.META.get("REMOTE_ADDR", ""),
                language=get_language() or "ru",
                procedure=procedure,
                **form.cleaned_data,
            )
        except services.DirectoryError as exc:
            form.add_error(None, str(exc))
        else:
            request.session["booking_requests"] = [*request.session.get("booking_requests", []), booking.pk][-20:]
            return redirect("directory-request-sent", pk=salon.pk, request_id=booking.pk)
    context = _salon_context(request, salon, request_form=form)
    return render(request, "directory/salon.html", context, status=422)


@public
def request_sent(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    """The confirmation, shown only in the browser session that sent the request."""
    if request_id not in request.session.get("booking_requests", []):
        raise Http404("No such request in this browser session.")
    booking = get_object_or_404(BookingRequest.objects.select_related("salon"), pk=request_id, salon_id=pk)
    return render(request, "directory/request_sent.html", {"booking": booking, "salon": booking.salon})


@roles_required(CLIENT)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    salon = get_object_or_404(Salon, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.add_review(request.user, salon, form.cleaned_data["stars"], form.cleaned_data["text"])  # type: ignore[arg-type]
        except services.DirectoryError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(f"{salon.get_absolute_url()}?review=pending#reviews")
    context = _salon_context(request, salon, review_form=form)
    return render(request, "directory/salon.html", context, status=422)


@roles_required(ADMIN, RECEPTION)
@require_http_methods(["GET", "POST"])
def leads(request: HttpRequest) -> HttpResponse:
    """Booking requests to the salons this installation's clinics run."""
    requests = BookingRequest.objects.filter(salon__clinic__isnull=False).select_related("salon")
    if request.method == "POST":
        lead = get_object_or_404(requests, pk=request.POST.get("lead"))
        status = request.POST.get("status", "")
        if status in BookingRequest.Status.values:
            lead.status = status
            lead.save(update_fields=["status"])
        return redirect("staff-leads")
    return render(request, "directory/leads.html", {"leads": requests[:200], "statuses": BookingRequest.Status.choices})
