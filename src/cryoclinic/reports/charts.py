"""The reports' charts, drawn by the shared `cryoclinic.charts` (inline SVG, no JavaScript)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cryoclinic.charts import PALETTE, Bar, Legend, Segment, bar_chart_svg

from .metrics import AdherenceReport, PractitionerRow

DONE, NO_SHOW, CANCELLED = PALETTE[0], PALETTE[1], PALETTE[2]


def sessions_chart(rows: Sequence[PractitionerRow]) -> SafeString:
    bars = [
        Bar(
            r.practitioner,
            (
                Segment(r.done, DONE, _("Done: %(n)d") % {"n": r.done}),
                Segment(r.no_show, NO_SHOW, _("No-shows: %(n)d") % {"n": r.no_show}),
                Segment(r.cancelled, CANCELLED, _("Cancelled: %(n)d") % {"n": r.cancelled}),
            ),
            note=f"{r.done} / {r.no_show} / {r.cancelled}",
        )
        for r in rows
    ]
    legend = [Legend(_("Done"), DONE), Legend(_("No-shows"), NO_SHOW), Legend(_("Cancelled"), CANCELLED)]
    return bar_chart_svg(bars, _("Sessions per practitioner"), legend)


def courses_chart(report: AdherenceReport) -> SafeString:
    bars = [
        Bar(_("completed"), (Segment(report.completed, DONE),), note=str(report.completed)),
        Bar(_("in progress"), (Segment(report.in_progress, PALETTE[4]),), note=str(report.in_progress)),
        Bar(_("stopped short"), (Segment(report.incomplete, CANCELLED),), note=str(report.incomplete)),
        Bar(
            _("gaps within the rule"),
            (Segment(report.gaps_within, DONE), Segment(report.gaps - report.gaps_within, NO_SHOW)),
            note=f"{report.gaps_within} / {report.gaps}",
        ),
    ]
    return bar_chart_svg(bars, _("Courses and the interval rule")) if report.rows else bar_chart_svg([], "")


def revenue_chart(rows: Sequence[tuple[str, int]]) -> SafeString:
    bars = [Bar(name, (Segment(rub, DONE),), note=f"{rub} ₽") for name, rub in rows]
    return bar_chart_svg(bars, _("Revenue by procedure, ₽"))


def nitrogen_chart(totals: Sequence[tuple[str, float, float]]) -> SafeString:
    """Litres used per vessel; the tick is what the forecast expected."""
    bars = [
        Bar(name, (Segment(used, DONE),), tick=predicted, note=f"{used:.1f} / {predicted:.1f} L")
        for name, used, predicted in totals
    ]
    return bar_chart_svg(bars, _("Nitrogen used (bar) against the forecast (tick), L"))


def adverse_chart(rows: Sequence[tuple[str, float | None]]) -> SafeString:
    bars = [Bar(name, (Segment(rate or 0.0, CANCELLED),), note=f"{rate or 0:.1f}") for name, rate in rows]
    return bar_chart_svg(bars, _("Adverse events per 100 sessions, whole clinic"))
