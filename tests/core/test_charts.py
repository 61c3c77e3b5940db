"""SVG charts: well-formed, named for screen readers, values placed where they belong."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from quizapp.core.charts import Axis, bar_chart, count_axis, line_chart, scatter_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_bar_chart_is_an_accessible_image_with_one_bar_per_value():
    svg = bar_chart(
        "dist",
        "Score distribution",
        "Attempts per band",
        [("0-50", 2), ("50-100", 4)],
        "Score band (%)",
        Axis("Attempts", 0, 4),
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "dist-title dist-desc"
    assert root.find(f"{SVG}title").text == "Score distribution"
    assert root.find(f"{SVG}desc").text == "Attempts per band"
    bars = root.findall(f"{SVG}rect")
    heights = [float(bar.get("height")) for bar in bars]
    assert len(bars) == 2 and heights[1] == 2 * heights[0]  # 4 is twice 2
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_text_written_by_people_is_escaped():
    svg = scatter_chart(
        "s", "<b>Quiz</b> & more", "d", [("<script>", 50, 50)], Axis("x"), Axis("y")
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert _parse(svg).find(f"{SVG}title").text == "<b>Quiz</b> & more"


def test_scatter_places_points_by_value_and_clamps_to_the_axes():
    svg = scatter_chart(
        "s", "t", "d", [("Q1", 0, 100), ("Q2", 100, -40)], Axis("Facility"), Axis("Disc", -50, 100)
    )
    first, second = _parse(svg).findall(f"{SVG}circle")
    assert float(first.get("cx")) < float(second.get("cx"))  # facility 0 left of 100
    assert float(first.get("cy")) < float(second.get("cy"))  # 100 above -40 (SVG y goes down)
    clamped = scatter_chart("c", "t", "d", [("Q", 500, 500)], Axis("x"), Axis("y"))
    point = _parse(clamped).find(f"{SVG}circle")
    assert float(point.get("cx")) <= 640 and float(point.get("cy")) >= 0


def test_line_chart_joins_points_in_order():
    svg = line_chart(
        "p",
        "Progress",
        "Average score by week",
        [("W1", 40), ("W2", 60), ("W3", 80)],
        "Week",
        Axis("Average score (%)"),
    )
    root = _parse(svg)
    line = root.find(f"{SVG}polyline")
    ys = [float(pair.split(",")[1]) for pair in line.get("points").split()]
    assert ys == sorted(ys, reverse=True)  # rising scores climb the chart
    single = _parse(line_chart("q", "t", "d", [("W1", 10)], "Week", Axis("y")))
    assert single.find(f"{SVG}polyline") is None and single.find(f"{SVG}circle") is not None


def test_count_axes_have_whole_number_grid_lines():
    assert count_axis("n", 2).ticks() == [0, 1, 2]
    assert count_axis("n", 7).ticks() == [0, 2, 4, 6, 8, 10]
    assert count_axis("n", 0).ticks() == [0, 1]
    assert Axis("d", -100, 100, steps=4).ticks() == [-100, -50, 0, 50, 100]
