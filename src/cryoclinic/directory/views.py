"""Public directory pages, the booking request, reviews, and the clinic's leads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from cryoclinic.accounts.access import public, roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, RECEPTION
from cryoclinic.knowledge import services as knowledge

from . import services
from .charts import stats_chart_svg
from .forms import BookingRequestForm, ReviewForm
from .models import BookingRequest, City, Review, Salon


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
    context = {
        "rows": [(r, services.rating_label(r.rating_count, r.rating_average)) for r in rows],
        "cities": City.objects.order_by("name_en"),
        "procedures": knowledge.list_procedures(),
        "selected": {"city": city or "", "procedure": procedure, "sort": sort},
        "stats": stats,
        "chart": stats_chart_svg(stats, language),
    }
    return render(request, "directory/directory.html", context)


def _salon_context(request: HttpRequest, salon: Salon, **extra: object) -> dict[str, object]:
    approved = salon.reviews.filter(status=Review.Status.APPROVED).select_related("author")
    count = approved.count()
    average = sum(r.stars for r in approved) / count if count else None
    return {
        "salon": salon,
        "prices": salon.prices.all(),
        "procedure_names": {p.slug: p.name for p in knowledge.list_procedures()},
        "reviews": approved,
        "rating": services.rating_label(count, average),
        "request_form": BookingRequestForm(),
        "review_form": ReviewForm(),
        "review_refusal": services.may_review(request.user, salon) if request.user.is_authenticated else None,
        **extra,
    }


@public
def salon_detail(request: HttpRequest, pk: int) -> HttpResponse:
    salon = get_object_or_404(Salon.objects.select_related("city"), pk=pk)
    return render(request, "directory/salon.html", _salon_context(request, salon))


@public
@require_POST
def booking_request(request: HttpRequest, pk: int) -> HttpResponse:
    salon = get_object_or_404(Salon, pk=pk)
    form = BookingRequestForm(request.POST)
    procedure = request.POST.get("procedure") or "facial-cryomassage"
    if procedure not in knowledge.procedure_slugs():
        form.add_error(None, f"Unknown procedure {procedure!r}.")
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
