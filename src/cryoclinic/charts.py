"""Small inline SVG charts (bars, lines) drawn on the server: no JavaScript, no CDN, readable without a network.

One horizontal bar per row. A bar is a run of coloured segments that may start at an offset (a
min–max range starts at the minimum) and may carry a tick (a median, a forecast). Values are
escaped; the result is well-formed XML that can be inlined in a page or served as image/svg+xml.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

ROW_H, LABEL_W, BAR_W, NOTE_W, PAD = 22, 170, 320, 150, 6
PALETTE = ("#4f8fc0", "#e0a030", "#c05050", "#7a9a50", "#9cc3e6")


@dataclass(frozen=True)
class Segment:
    value: float
    colour: str = PALETTE[0]
    label: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    offset: float = 0.0
    tick: float | None = None
    note: str = ""
    data: Mapping[str, str] = field(default_factory=dict)

    @property
    def end(self) -> float:
        return self.offset + sum(max(s.value, 0.0) for s in self.segments)


@dataclass(frozen=True)
class Legend:
    label: str
    colour: str


def _fit(label: str, chars: int = LABEL_W // 7) -> str:
    """Shorten a label that would run into the bars; the full text stays in the element's <title>."""
    return label if len(label) <= chars else label[: chars - 1] + "…"


def bar_chart_svg(bars: Sequence[Bar], title: str, legend: Sequence[Legend] = ()) -> SafeString:
    """A horizontal bar chart; an empty string when there is nothing to draw."""
    if not bars:
        return mark_safe("")
    top = max(max(b.end, b.tick or 0.0) for b in bars) or 1.0
    scale = BAR_W / top
    legend_h = ROW_H if legend else 0
    height = ROW_H * len(bars) + 2 * PAD + legend_h
    width = LABEL_W + BAR_W + NOTE_W
    rows = []
    for index, bar in enumerate(bars):
        y = PAD + index * ROW_H
        attrs = "".join(f' data-{escape(k)}="{escape(v)}"' for k, v in bar.data.items())
        label = f"{escape(_fit(bar.label))}<title>{escape(bar.label)}</title>"
        parts = [f'<g class="bar"{attrs}><text x="0" y="{y + 15}">{label}</text>']
        x = LABEL_W + bar.offset * scale
        drawn = [s for s in bar.segments if s.value > 0] or list(bar.segments[:1])  # a zero shows as a sliver
        for segment in drawn:
            w = max(segment.value, 0.0) * scale
            tip = f"<title>{escape(segment.label)}</title>" if segment.label else ""
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 5}" width="{max(w, 1.0):.1f}" height="12" fill="{escape(segment.colour)}">'
                f"{tip}</rect>"
            )
            x += w
        if bar.tick is not None:
            xt = LABEL_W + bar.tick * scale
            parts.append(
                f'<line x1="{xt:.1f}" x2="{xt:.1f}" y1="{y + 2}" y2="{y + 20}" stroke="#123" stroke-width="2"/>'
            )
        end = LABEL_W + max(bar.end, bar.tick or 0.0) * scale
        parts.append(f'<text x="{end + 6:.1f}" y="{y + 15}">{escape(bar.note)}</text></g>')
        rows.append("".join(parts))
    if legend:
        y = PAD + len(bars) * ROW_H
        x = float(LABEL_W)
        for item in legend:
            rows.append(
                f'<rect x="{x:.1f}" y="{y + 5}" width="12" height="12" fill="{escape(item.colour)}"/>'
                f'<text x="{x + 16:.1f}" y="{y + 15}">{escape(item.label)}</text>'
            )
            x += 24 + 7 * len(item.label)
    label = escape(title)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{label}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-size="12" font-family="sans-serif">'
        f"<title>{label}</title>" + "".join(rows) + "</svg>"
    )


# Line plots: curves on shared axes (temperature against depth, isotherm depth against time).
WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 560, 300, 56, 40, 14, 120
COLOURS = ("#0b4f8a", "#3b8ed0", "#7fb8e6", "#c0392b", "#8e44ad", "#16a085")


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering [low, high]."""
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = min((m * power for m in (1, 2, 5, 10)), key=lambda candidate: abs(candidate - raw))
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step + 1e-9) + 1)]


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
