"""Inline SVG line plots for the dose page: no JavaScript, no CDN, readable offline and in print."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 560, 300, 56, 40, 14, 120
COLOURS = ("#0b4f8a", "#3b8ed0", "#7fb8e6", "#c0392b", "#8e44ad", "#16a085")


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    step = (high - low) / count
    return [low + i * step for i in range(count + 1)]


def line_plot(
    series: Sequence[tuple[str, Sequence[float], Sequence[float]]],
    *,
    x_label: str,
    y_label: str,
    title: str,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
) -> SafeString:
    """Curves (label, xs, ys) on shared axes; each curve a polyline with its label at the right."""
    xs = [x for _, curve_x, _ in series for x in curve_x]
    ys = [y for _, _, curve_y in series for y in curve_y]
    if not xs:
        return mark_safe("")
    x0, x1 = x_range or (min(xs), max(xs))
    y0, y1 = y_range or (min(ys), max(ys))
    x1, y1 = (x1 if x1 > x0 else x0 + 1), (y1 if y1 > y0 else y0 + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return TOP + (y1 - y) / (y1 - y0) * plot_h

    parts = [f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>']
    for x in _ticks(x0, x1):
        parts.append(f'<text x="{px(x):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{x:.3g}</text>')
    for y in _ticks(y0, y1):
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{py(y):.1f}" y2="{py(y):.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.3g}</text>'
        )
    for index, (label, curve_x, curve_y) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(curve_x, curve_y, strict=True))
        parts.append(
            f'<polyline data-series="{escape(label)}" fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{points}"/>'
        )
        parts.append(
            f'<text x="{LEFT + plot_w + 8}" y="{TOP + 14 + 16 * index}" fill="{colour}">{escape(label)}</text>'
        )
    parts.append(f'<text x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" text-anchor="middle">{escape(x_label)}</text>')
    parts.append(
        f'<text x="12" y="{TOP + plot_h / 2:.0f}" transform="rotate(-90 12 {TOP + plot_h / 2:.0f})" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    return mark_safe(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" font-size="11" font-family="sans-serif"><title>{escape(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )
