"""The dashboard's SVG charts: coordinates on the metric's scale, escaped text, no scripts."""

import re
import xml.etree.ElementTree as ElementTree

import pytest

from server.dashboard.charts import Column, bar, interval_chart, scaled, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ElementTree.Element:
    """Parse chart markup as XML (it must be well-formed to be valid inline SVG)."""
    return ElementTree.fromstring(
        str(markup).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-100, 100.0), (100, 0.0), (0, 50.0), (250, 0.0), (-250, 100.0)],
)
def test_scaled_maps_the_range_onto_the_height_and_clips(value, expected):
    assert scaled(value, -100, 100, top=0.0, bottom=100.0) == expected


def test_sparkline_draws_one_point_per_value_highest_on_top():
    svg = parse(sparkline([0, 50, 100], 0, 100, "trend"))
    points = [
        tuple(map(float, pair.split(",")))
        for pair in svg.find(f"{SVG}polyline").get("points").split()
    ]
    assert len(points) == 3
    assert points[0][0] < points[1][0] < points[2][0]
    assert points[0][1] > points[1][1] > points[2][1]
    assert svg.find(f"{SVG}title").text == "trend"


def test_an_empty_sparkline_is_a_dashed_line():
    svg = parse(sparkline([], 0, 100, "no data"))
    assert svg.find(f"{SVG}polyline") is None
    assert svg.find(f"{SVG}line").get("class") == "spark-empty"


def test_interval_chart_draws_each_column_with_its_interval_and_count():
    columns = [
        Column("Awareness", 80.0, (70.0, 90.0), 40),
        Column("Conversion", None, None, 0),
        Column("Loyalty", 50.0, None, 1),
    ]
    svg = parse(interval_chart(columns, 0, 100, "CSAT per phase", baseline=60.0))
    assert len(svg.findall(f"{SVG}circle")) == 2
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert {"Awareness", "Conversion", "Loyalty", "n = 40", "n = 0", "n = 1", "80"} <= set(texts)
    intervals = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "interval"]
    assert len(intervals) == 3
    ends = sorted(float(intervals[0].get(end)) for end in ("y1", "y2"))
    assert ends == pytest.approx(
        [scaled(90.0, 0, 100, 16, 190), scaled(70.0, 0, 100, 16, 190)], abs=0.05
    )
    assert any(line.get("class") == "baseline" for line in svg.iter(f"{SVG}line"))


def test_chart_text_is_escaped():
    hostile = "<script>alert(1)</script>"
    markup = str(interval_chart([Column(hostile, 1.0, None, 1)], 0, 5, hostile))
    markup += str(sparkline([1], 0, 5, hostile)) + str(bar(1, 2, hostile))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert not re.search(r"\son\w+=", markup)


@pytest.mark.parametrize(
    ("value", "maximum", "width"), [(5, 10, "60"), (0, 0, "0"), (20, 10, "120")]
)
def test_bar_length_is_the_share_of_the_maximum(value, maximum, width):
    svg = parse(bar(value, maximum, "speed"))
    fill = next(rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar-fill")
    assert fill.get("width") == width
