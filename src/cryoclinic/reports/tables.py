"""Each report as one table (header, rows, summary lines, a chart): the page and the CSV show the same thing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cryoclinic.knowledge import services as knowledge
from cryoclinic.languages import content_language
from cryoclinic.nitrogen.models import Dewar

from . import charts
from .metrics import (
    AdherenceReport,
    AdverseRateRow,
    Gap,
    NitrogenInterval,
    PractitionerRow,
    ReadingRecord,
    RevenueRow,
    UseRecord,
    nitrogen_intervals,
)

Cell = str | int | float | dt.date | None


@dataclass
class Table:
    slug: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    summary: list[str] = field(default_factory=list)
    chart: SafeString = field(default_factory=lambda: mark_safe(""))
    health_data: bool = False
    page_rows: list[list[Cell]] | None = None  # where the page shows fewer rows than the CSV


def _ru() -> bool:
    return content_language() == "ru"


def cell_text(value: Cell) -> str:
    """Numbers with the decimal comma in Russian (what Excel there expects), dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if _ru() else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{cell_text(percent(value))} %"


def procedure_name(slug: str) -> str:
    """The procedure's name from the shipped knowledge base (no database read per row)."""
    shipped = knowledge.knowledge_base().procedures.get(slug)
    return shipped.name.get(content_language()) if shipped else slug


def side_effect_names() -> dict[str, str]:
    """Side-effect codes of every procedure (the clinic's own items included) → their text in the page's language."""
    language = content_language()
    return {item.code: item.text.get(language) for p in knowledge.list_procedures() for item in p.side_effects}


def sessions_table(rows: Sequence[PractitionerRow]) -> Table:
    return Table(
        "sessions",
        _("Sessions per practitioner"),
        [_("Practitioner"), _("Done"), _("No-shows"), _("Cancelled"), _("No-shows per 100 expected visits")],
        [[r.practitioner, r.done, r.no_show, r.cancelled, percent(r.no_show_share)] for r in rows],
        [_("Done sessions in total: %(count)d.") % {"count": sum(r.done for r in rows)}],
        charts.sessions_chart(rows),
    )


def courses_table(report: AdherenceReport) -> Table:
    states = {"completed": _("completed"), "in_progress": _("in progress"), "incomplete": _("stopped short")}

    def broken(gaps: Sequence[Gap]) -> str:
        return "; ".join(f"{g.after:%d.%m.%Y}→{g.before:%d.%m.%Y} ({g.days})" for g in gaps)

    rows: list[list[Cell]] = [
        [
            r.course.course_id,
            procedure_name(r.course.procedure),
            r.course.sessions_planned,
            r.done,
            states[r.state],
            f"{r.course.min_gap_days}–{r.course.max_gap_days}",
            len(r.gaps),
            len(r.gaps) - len(r.broken),
            broken(r.broken),
        ]
        for r in report.rows
    ]
    summary = [
        _("Courses with sessions in the period: %(total)d; completed %(completed)d, in progress %(running)d, "
          "stopped short %(stopped)d.")
        % {
            "total": len(report.rows),
            "completed": report.completed,
            "running": report.in_progress,
            "stopped": report.incomplete,
        },
        _("Completion of ended courses: %(value)s.") % {"value": percent_text(report.completion_share)},
        _("Gaps between consecutive done sessions within the course's rule: %(within)d of %(gaps)d (%(value)s).")
        % {"within": report.gaps_within, "gaps": report.gaps, "value": percent_text(report.adherence_share)},
    ]
    header = [
        _("Course"), _("Procedure"), _("Sessions planned"), _("Done"), _("State"), _("Rule, days between"),
        _("Gaps"), _("Gaps within the rule"), _("Gaps outside the rule (days)"),
    ]
    return Table(
        "courses",
        _("Course completion and the interval rule"),
        header,
        rows,
        summary,
        charts.courses_chart(report),
        health_data=True,
        page_rows=[row for row, r in zip(rows, report.rows, strict=True) if r.broken],
    )


def revenue_table(rows: Sequence[RevenueRow]) -> Table:
    summary = [_("Revenue in total: %(sum)d ₽.") % {"sum": sum(r.revenue_rub for r in rows)}]
    if any(r.unpriced for r in rows):
        summary.append(_("Sessions booked without a price in the clinic's price list are not counted in the sum."))
    return Table(
        "revenue",
        _("Revenue by procedure"),
        [_("Procedure"), _("Done sessions"), _("Revenue, ₽"), _("Sessions without a price")],
        [[procedure_name(r.procedure), r.sessions, r.revenue_rub, r.unpriced] for r in rows],
        summary,
        charts.revenue_chart([(procedure_name(r.procedure), r.revenue_rub) for r in rows]),
    )


def nitrogen_table(
    vessels: Sequence[tuple[Dewar, Sequence[ReadingRecord], Sequence[UseRecord]]], start: dt.datetime
) -> Table:
    """Spans between readings that end in the period: litres used against the forecast's boil-off and rates."""
    rows: list[list[Cell]] = []
    totals: list[tuple[str, float, float]] = []
    unrated = 0
    for dewar, readings, uses in vessels:
        spans: list[NitrogenInterval] = [
            s
            for s in nitrogen_intervals(readings, uses, boil_off_l_per_day=float(dewar.boil_off_l_per_day))
            if s.end >= start
        ]
        for s in spans:
            rows.append([
                dewar.name, s.start.date(), s.end.date(), round(s.days, 2), s.used_l, s.predicted_l,
                s.difference_l, s.sessions, s.unrated,
            ])
            unrated += s.unrated
        if spans:
            totals.append((dewar.name, sum(s.used_l for s in spans), sum(s.predicted_l for s in spans)))
    summary = [
        _("%(name)s: used %(used)s L, forecast %(predicted)s L.")
        % {"name": name, "used": cell_text(used), "predicted": cell_text(predicted)}
        for name, used, predicted in totals
    ]
    if unrated:
        summary.append(_("Sessions with no consumption rate count as zero in the forecast: %(n)d.") % {"n": unrated})
    header = [
        _("Vessel"), _("From"), _("To"), _("Days"), _("Used, L"), _("Forecast, L"), _("Difference, L"),
        _("Sessions"), _("Sessions without a rate"),
    ]
    return Table(
        "nitrogen", _("Nitrogen used against the forecast"), header, rows, summary, charts.nitrogen_chart(totals)
    )


def adverse_table(rows: Sequence[AdverseRateRow]) -> Table:
    everyone = _("whole clinic")
    names = side_effect_names()
    return Table(
        "adverse-events",
        _("Adverse events per 100 sessions"),
        [_("Practitioner"), _("Event"), _("Events"), _("Done sessions"), _("Per 100 sessions")],
        [[r.practitioner or everyone, names.get(r.code, r.code), r.events, r.sessions, r.per_100] for r in rows],
        [],
        charts.adverse_chart([(names.get(r.code, r.code), r.per_100) for r in rows if not r.practitioner]),
        health_data=True,
    )
