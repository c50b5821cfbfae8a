"""The step timeline: bars on a shared axis, a state per step, and today marked."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from tidtam.dashboards.timeline import StepRow, build_timeline
from tidtam.legacy.load import import_paths
from tidtam.projects.schedule import StepState, StepWindow
from tidtam.test import SEED_CODES, add_steps, make_project, seed_path


def row(order: int, weight: int, start: str, end: str) -> StepRow:
    window = StepWindow(Decimal(weight), date.fromisoformat(start), date.fromisoformat(end))
    return StepRow(order, f"ขั้นตอนที่ {order}", window)


FY_2563: dict[str, Any] = {"start": date(2019, 10, 1), "end": date(2020, 9, 30)}  # 366 days


def test_bars_sit_where_their_windows_are_on_the_axis():
    timeline = build_timeline(
        [row(1, 50, "2019-10-01", "2020-03-31"), row(2, 50, "2020-04-01", "2020-09-30")],
        reported=None,
        today=date(2019, 9, 1),
        **FY_2563,
    )
    first, second = timeline.steps
    assert first.left == 0 and round(first.width, 2) == round(183 / 366 * 100, 2)
    assert round(second.left, 2) == round(183 / 366 * 100, 2)
    assert round(second.left + second.width, 6) == 100
    assert timeline.today is None  # before the axis
    assert [s.state for s in timeline.steps] == [StepState.UPCOMING] * 2
    assert first.position == "pl-0 pw-500"  # classes of static/css/positions.css


def test_a_zero_length_step_gets_a_visible_mark_even_on_the_last_day():
    timeline = build_timeline(
        [row(1, 100, "2020-09-30", "2020-09-30")], reported=None, today=date(2020, 1, 1), **FY_2563
    )
    (step,) = timeline.steps
    assert step.width == pytest.approx(0.8) and step.left + step.width <= 100


def test_today_is_placed_on_the_axis_and_months_are_labelled_in_thai():
    timeline = build_timeline(
        [row(1, 100, "2019-10-01", "2020-09-30")],
        reported=Decimal(10),
        today=date(2020, 4, 1),
        **FY_2563,
    )
    assert timeline.today is not None and round(timeline.today, 2) == round(183 / 366 * 100, 2)
    assert [t.label for t in timeline.ticks][:3] == ["ต.ค. 62", "พ.ย. 62", "ธ.ค. 62"]
    assert len(timeline.ticks) == 12
    english = build_timeline([], reported=None, today=date(2020, 4, 1), lang="en", **FY_2563)
    assert english.ticks[0].label == "Oct 19" and english.steps == []


def test_a_long_axis_labels_only_every_few_months():
    timeline = build_timeline(
        [], reported=None, today=date(2020, 1, 1), start=date(2017, 10, 1), end=date(2020, 9, 30)
    )
    labelled = [t for t in timeline.ticks if t.label]
    assert len(timeline.ticks) == 36 and len(labelled) == 12


@pytest.fixture
def seeds(db: None) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []


@pytest.mark.usefixtures("seeds")
def test_the_seed_page_shows_the_timeline_with_states_on_the_day(client: Client) -> None:
    with mock.patch("django.utils.timezone.localdate", return_value=date(2020, 2, 19)):
        response = client.get("/projects/03000000-2457/")
    text = html.unescape(response.content.decode())
    assert '<line class="today"' in text  # the chart marks the day too
    section = text[text.index('class="step-timeline"') :]
    section = section[: section.index("</section>")]
    assert "ขั้นตอนการปฏิบัติงานของโครงการ" in section
    states = re.findall(r'<li class="step state-(\w+)">', section)
    assert states == ["done", "done", "late", "upcoming", "upcoming", "upcoming", "upcoming"]
    badges = re.findall(r'<span class="badge">([^<]+)</span>', section)
    assert badges == ["แล้วเสร็จ"] * 2 + ["ล่าช้า"] + ["ยังไม่ถึงกำหนด"] * 4
    assert len(re.findall(r'class="today pl-\d+"', section)) == 7  # a class of positions.css
    assert "วันนี้" in section
    assert "ติดตามประเมินผล และรายงานผู้บริหาร" in section


@pytest.mark.django_db
def test_a_project_without_steps_says_so_in_the_timeline(client: Client) -> None:
    make_project()
    text = client.get("/projects/99990000-0001/").content.decode()
    section = text[text.index('class="step-timeline"') :]
    assert "ยังไม่มีแผนการดำเนินงาน" in section[: section.index("</section>")]


@pytest.mark.django_db
def test_a_step_is_due_within_its_last_month(client: Client) -> None:
    project = make_project()
    add_steps(project, ("60", "2019-10-01", "2020-03-15"), ("40", "2020-03-16", "2020-09-30"))
    with mock.patch("django.utils.timezone.localdate", return_value=date(2020, 3, 1)):
        text = html.unescape(client.get("/projects/99990000-0001/").content.decode())
    assert re.findall(r'<li class="step state-(\w+)">', text) == ["due", "upcoming"]
    assert "ครบกำหนดภายในหนึ่งเดือน" in text
