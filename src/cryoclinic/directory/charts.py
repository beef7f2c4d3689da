"""A small inline SVG chart of per-city prices (min–max bar, median tick): no JavaScript, no CDN."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .services import CityStats

ROW_H, LABEL_W, BAR_W, PAD = 22, 150, 320, 6


def stats_chart_svg(stats: Sequence[CityStats], language: str) -> SafeString:
    if not stats:
        return mark_safe("")
    top = max(s.max_rub for s in stats)
    scale = BAR_W / top
    height = ROW_H * len(stats) + 2 * PAD
    width = LABEL_W + BAR_W + 90
    rows = []
    for index, s in enumerate(stats):
        y = PAD + index * ROW_H
        x0, x1, xm = LABEL_W + s.min_rub * scale, LABEL_W + s.max_rub * scale, LABEL_W + s.median_rub * scale
        name = escape(s.city.name(language))
        rows.append(
            f'<g data-city="{escape(s.city.slug)}"><text x="0" y="{y + 15}">{name}</text>'
            f'<rect x="{x0:.1f}" y="{y + 5}" width="{max(x1 - x0, 2):.1f}" height="12" fill="#9cc3e6"/>'
            f'<line x1="{xm:.1f}" x2="{xm:.1f}" y1="{y + 2}" y2="{y + 20}" stroke="#123" stroke-width="2"/>'
            f'<text x="{x1 + 6:.1f}" y="{y + 15}">{s.min_rub}–{s.max_rub} ₽</text></g>'
        )
    title = (
        "Цены по городам: от минимума до максимума, черта — медиана"
        if language.startswith("ru")
        else ("Prices by city: minimum to maximum, the tick marks the median")
    )
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-size="12" font-family="sans-serif"><title>{escape(title)}</title>'
        + "".join(rows)
        + "</svg>"
    )
