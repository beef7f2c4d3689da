"""The shared server-side SVG bar chart: well-formed, escaped, proportional, no scripts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cryoclinic.charts import Bar, Legend, Segment, bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_a_chart_is_well_formed_svg_with_escaped_labels_and_proportional_bars():
    svg = bar_chart_svg(
        [
            Bar("<Анна> & co", (Segment(30), Segment(10, "#e0a030", "no-shows")), note="30 / 10"),
            Bar("Ирина", (Segment(20),), tick=25.0, data={"who": "irina"}),
        ],
        'Sessions "per" practitioner',
        [Legend("Done", "#4f8fc0")],
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title").text == 'Sessions "per" practitioner'
    assert root.find(f"{SVG}script") is None and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    bars = root.findall(f"{SVG}g")
    assert bars[0].find(f"{SVG}text").text == "<Анна> & co"
    widths = [float(r.get("width")) for r in bars[0].findall(f"{SVG}rect")] + [
        float(bars[1].find(f"{SVG}rect").get("width"))
    ]
    assert widths[0] == 3 * widths[1] and widths[2] == 2 * widths[1]  # 30, 10, 20 on one scale
    assert bars[1].get("data-who") == "irina" and bars[1].find(f"{SVG}line") is not None


def test_a_long_label_is_shortened_with_the_full_text_kept_as_its_title():
    long = "Криомассаж лица жидким азотом, курс из десяти сеансов"
    text = ET.fromstring(bar_chart_svg([Bar(long, (Segment(1),))], "t")).find(f"{SVG}g/{SVG}text")
    assert text.text.endswith("…") and len(text.text) < len(long) and text.find(f"{SVG}title").text == long


def test_nothing_to_draw_is_an_empty_string():
    assert bar_chart_svg([], "empty") == ""


def test_line_plot_ticks_are_round_steps_inside_the_range():
    from cryoclinic.charts import _ticks

    assert _ticks(-66.1, 35.0) == [-60, -40, -20, 0, 20]
    assert _ticks(0.0, 3.73) == [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5]
    assert _ticks(0.0, 40.7) == [0, 10, 20, 30, 40]
