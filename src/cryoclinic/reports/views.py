"""The admins' reports page and each report's CSV, over a date range."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN

from .assemble import REPORTS, report_table
from .csv_export import csv_response
from .period import PeriodError, parse_period
from .queries import report_clinic
from .tables import cell_text


@roles_required(ADMIN)
def reports(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"params": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}}
    try:
        period = parse_period(request.GET, timezone.localdate())
    except PeriodError as exc:
        context.update(error=str(exc), error_field=exc.field)
        return render(request, "reports/reports.html", context, status=422)
    clinic = report_clinic()
    found = [t for t in (report_table(slug, clinic, period) for slug in REPORTS) if t] if clinic else []
    health = [t.slug for t in found if t.health_data]
    if health:
        audit.record(
            request.user, "view", ("reports.report", ",".join(health)), request=request,
            detail=f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}",
        )
    shown = [
        (t, [[cell_text(v) for v in row] for row in (t.rows if t.page_rows is None else t.page_rows)]) for t in found
    ]
    context.update(period=period, tables=shown, query=f"from={period.start:%Y-%m-%d}&to={period.end:%Y-%m-%d}")
    return render(request, "reports/reports.html", context)


@roles_required(ADMIN)
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in REPORTS:
        raise Http404(f"No report {slug!r}; reports: {', '.join(REPORTS)}.")
    try:
        period = parse_period(request.GET, timezone.localdate())
    except PeriodError as exc:
        return HttpResponse(f"{exc.field}: {exc}", status=422, content_type="text/plain; charset=utf-8")
    clinic = report_clinic()
    table = report_table(slug, clinic, period) if clinic else None
    if table is None:
        raise Http404(f"The report {slug!r} has no data source yet.")
    if table.health_data:
        audit.record(
            request.user, "export", ("reports.report", slug), request=request,
            detail=f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}",
        )
    return csv_response(table, period)
