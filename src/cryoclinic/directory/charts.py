"""The per-city price chart (min–max bar, median tick), drawn by the shared `cryoclinic.charts`."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString

from cryoclinic.charts import Bar, Segment, bar_chart_svg

from .services import CityStats


def stats_chart_svg(stats: Sequence[CityStats], language: str) -> SafeString:
    bars = [
        Bar(
            label=s.city.name(language),
            segments=(Segment(s.max_rub - s.min_rub, "#9cc3e6"),),
            offset=s.min_rub,
            tick=s.median_rub,
            note=f"{s.min_rub}–{s.max_rub} ₽",
            data={"city": s.city.slug},
        )
        for s in stats
    ]
    title = (
        "Цены по городам: от минимума до максимума, черта — медиана"
        if language.startswith("ru")
        else "Prices by city: minimum to maximum, the tick marks the median"
    )
    return bar_chart_svg(bars, title)
