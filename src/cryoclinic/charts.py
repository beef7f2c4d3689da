"""Small inline SVG bar charts drawn on the server: no JavaScript, no CDN, readable without a network.

One horizontal bar per row. A bar is a run of coloured segments that may start at an offset (a
min–max range starts at the minimum) and may carry a tick (a median, a forecast). Values are
escaped; the result is well-formed XML that can be inlined in a page or served as image/svg+xml.
"""

from __future__ import annotations

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
