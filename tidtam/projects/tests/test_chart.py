from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

from tidtam.projects.chart import BOTTOM, LEFT, RIGHT, TOP, progress_chart_svg
from tidtam.projects.schedule import StepWindow, planned_curve

SVG = "{http://www.w3.org/2000/svg}"
FY_2563 = (date(2019, 10, 1), date(2020, 9, 30))
LABELS = {"planned": "แผน", "actual": "ผลงาน", "baseline": "แผนเดิม", "today": "วันนี้"}

# The seed project 03000000-2457: zero-length steps adding up to 100 %.
SEED_STEPS = [
    StepWindow(Decimal(weight), date.fromisoformat(day), date.fromisoformat(day))
    for day, weight in [
        ("2019-11-01", 10),
        ("2019-12-01", 10),
        ("2020-01-01", 40),
        ("2020-04-01", 10),
        ("2020-05-01", 20),
        ("2020-07-01", 5),
        ("2020-08-01", 5),
    ]
]
REPORTS = [
    (date(2019, 11, 29), Decimal("10.0000")),
    (date(2020, 2, 19), Decimal("30.0000")),
    (date(2020, 10, 5), Decimal("100.0000")),  # after the fiscal year: outside the chart
]


def chart(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "planned": planned_curve(SEED_STEPS),
        "actual": REPORTS,
        "start": FY_2563[0],
        "end": FY_2563[1],
        "title": "ความคืบหน้าโครงการ 03000000-2457",
        "labels": LABELS,
    }
    arguments.update(overrides)
    return progress_chart_svg(**arguments)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def points_of(root: ET.Element, css_class: str) -> list[tuple[float, float]]:
    (polyline,) = [e for e in root.iter(f"{SVG}polyline") if e.get("class") == css_class]
    pairs = (pair.split(",") for pair in polyline.attrib["points"].split())
    return [(float(x), float(y)) for x, y in pairs]


def x_of(day: date) -> float:
    start, end = FY_2563
    return round(LEFT + (day - start).days / (end - start).days * (RIGHT - LEFT), 1)


def test_chart_is_well_formed_accessible_svg():
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 800 400"
    assert "Sarabun" in root.attrib["font-family"]
    assert root.findtext(f"{SVG}title") == "ความคืบหน้าโครงการ 03000000-2457"
    assert root.findtext(f"{SVG}desc", "").startswith("ความคืบหน้าโครงการ 03000000-2457")


def test_chart_needs_no_script_and_no_external_resource():
    svg = chart()
    assert "<script" not in svg
    assert "href" not in svg
    assert "url(" not in svg


def test_planned_curve_is_cut_to_the_range_and_held_level_to_its_edges():
    points = points_of(parse(chart()), "planned")
    # 14 vertices of the seed curve, plus the start and end of the fiscal year.
    assert len(points) == 16
    assert points[0] == (LEFT, BOTTOM)
    assert points[-1] == (RIGHT, TOP)


def test_sixty_percent_planned_on_new_year_lands_at_sixty_percent_height():
    sixty_percent_y = BOTTOM - 0.6 * (BOTTOM - TOP)
    assert (x_of(date(2020, 1, 1)), sixty_percent_y) in points_of(parse(chart()), "planned")


def test_planned_curve_starting_before_the_range_is_interpolated_at_its_start():
    ramp = [(date(2019, 9, 1), Decimal(0)), (date(2019, 10, 31), Decimal(60))]
    points = points_of(parse(chart(planned=ramp)), "planned")
    assert points[0] == (LEFT, BOTTOM - 0.3 * (BOTTOM - TOP))
    assert len(points) == 3


def test_reports_within_the_range_are_joined_and_each_has_a_hover_title():
    root = parse(chart())
    assert len(points_of(root, "actual")) == 2
    circles = list(root.iter(f"{SVG}circle"))
    assert [c.findtext(f"{SVG}title") for c in circles] == [
        "29 พ.ย. 2562: 10.00%",
        "19 ก.พ. 2563: 30.00%",
    ]


def test_hover_titles_follow_the_language():
    root = parse(chart(lang="en"))
    assert root.find(f".//{SVG}circle/{SVG}title").text == "29 Nov 2019: 10.00%"  # type: ignore[union-attr]


def test_chart_without_reports_draws_no_actual_line():
    root = parse(chart(actual=[]))
    assert not [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "actual"]
    assert not list(root.iter(f"{SVG}circle"))


def test_gridlines_at_every_quarter_of_the_percent_axis():
    root = parse(chart())
    grid = [e for e in root.iter(f"{SVG}line") if e.get("class") == "grid"]
    assert [float(e.attrib["y1"]) for e in grid] == [320.0, 245.0, 170.0, 95.0, 20.0]
    labels = [e.text for e in root.iter(f"{SVG}text") if e.text and e.text.endswith("%")]
    assert labels == ["0%", "25%", "50%", "75%", "100%"]


def month_labels(svg: str) -> list[str | None]:
    return [e.text for e in parse(svg).iter(f"{SVG}text") if e.get("class") == "month"]


def test_month_ticks_of_fiscal_year_2563_in_thai():
    assert month_labels(chart()) == [
        "ต.ค. 62",
        "พ.ย. 62",
        "ธ.ค. 62",
        "ม.ค. 63",
        "ก.พ. 63",
        "มี.ค. 63",
        "เม.ย. 63",
        "พ.ค. 63",
        "มิ.ย. 63",
        "ก.ค. 63",
        "ส.ค. 63",
        "ก.ย. 63",
    ]


def test_month_ticks_of_fiscal_year_2563_in_english():
    assert month_labels(chart(lang="en")) == [
        "Oct 19",
        "Nov 19",
        "Dec 19",
        "Jan 20",
        "Feb 20",
        "Mar 20",
        "Apr 20",
        "May 20",
        "Jun 20",
        "Jul 20",
        "Aug 20",
        "Sep 20",
    ]


def test_a_multi_year_range_labels_only_some_months():
    svg = chart(start=date(2019, 10, 1), end=date(2022, 9, 30))
    ticks = [e for e in parse(svg).iter(f"{SVG}line") if e.get("class") == "tick"]
    assert len(ticks) == 36
    assert month_labels(svg)[:2] == ["ต.ค. 62", "ม.ค. 63"]


def test_title_and_labels_are_escaped():
    svg = chart(title="แผน <&> \"ปี\" '63'", labels={**LABELS, "planned": "<b>แผน</b>"})
    assert "&lt;&amp;&gt;" in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == "แผน <&> \"ปี\" '63'"
    assert "<b>แผน</b>" in [e.text for e in root.iter(f"{SVG}text")]


def test_today_line_and_legend_entry_appear_when_today_is_in_range():
    root = parse(chart(today=date(2020, 2, 19)))
    (line,) = [e for e in root.iter(f"{SVG}line") if e.get("class") == "today"]
    assert float(line.attrib["x1"]) == x_of(date(2020, 2, 19))
    assert "วันนี้" in [e.text for e in root.iter(f"{SVG}text")]
    assert "60.00% (19 ก.พ. 2563)" in root.findtext(f"{SVG}desc", "")


def test_no_today_line_when_today_is_outside_the_range_or_not_given():
    for today in (None, date(2020, 10, 1)):
        root = parse(chart(today=today))
        assert not [e for e in root.iter(f"{SVG}line") if e.get("class") == "today"]
        assert "วันนี้" not in [e.text for e in root.iter(f"{SVG}text")]


def test_baseline_is_a_dashed_polyline_with_a_legend_entry():
    baseline = [(date(2019, 10, 1), Decimal(0)), (date(2020, 9, 30), Decimal(100))]
    root = parse(chart(baseline=baseline))
    (polyline,) = [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "baseline"]
    assert polyline.get("stroke-dasharray")
    assert len(points_of(root, "baseline")) == 2
    assert "แผนเดิม" in [e.text for e in root.iter(f"{SVG}text")]


def test_no_baseline_drawn_when_none_given():
    root = parse(chart())
    assert not [e for e in root.iter(f"{SVG}polyline") if e.get("class") == "baseline"]
    assert "แผนเดิม" not in [e.text for e in root.iter(f"{SVG}text")]
