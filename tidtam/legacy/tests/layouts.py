"""Layouts of a real legacy page, generated for tests: the page split into its sections by
the headings as the old site prints them (without the parser's help), then put together again
with headings repeated before items or doubled and the sections in another order."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from hypothesis import strategies as st

from tidtam.legacy.parse import LegacyPage

# The headings as the old site prints them, named here without the parser's help.
HEADINGS = {
    "หลักการและเหตุผล": "rationale",
    "วัตถุประสงค์ของโครงการ": "objectives",
    "เป้าหมายของโครงการ": "targets",
    "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ": "strategy",
    "ผลการดำเนินงาน": "reports",
    "แผนการดำเนินงานฯ": "steps",
    "สนับสนุนตัวชี้วัดตามแผนฯ": "kpis",
    "** ผลการประเมินโครงการ (รายไตรมาส) **": "end",
}
# Where an item of a section starts; in the other sections every line is an item.
ITEM_START = {
    "reports": re.compile(r"\(\d+\)"),
    "steps": re.compile("ขั้นตอน"),
    "kpis": re.compile("รายละเอียดเกี่ยวกับตัวชี้วัด"),
}


@dataclasses.dataclass(frozen=True)
class Section:
    name: str
    heading: str  # the line as printed
    body: tuple[str, ...]  # raw lines, blank ones included

    def items(self) -> list[int]:
        """Where in the body each item starts."""
        start = ITEM_START.get(self.name)
        return [
            i
            for i, line in enumerate(self.body)
            if line.strip() and (start is None or start.match(line.strip()))
        ]


@dataclasses.dataclass(frozen=True)
class SplitPage:
    header: tuple[str, ...]
    sections: tuple[Section, ...]  # the content sections, in page order
    closing: Section


def split(text: str) -> SplitPage:
    lines = text.split("\n")
    at = [i for i, line in enumerate(lines) if line.strip() in HEADINGS]
    sections = [
        Section(HEADINGS[lines[i].strip()], lines[i], tuple(lines[i + 1 : end]))
        for i, end in zip(at, [*at[1:], len(lines)], strict=True)
    ]
    assert sections[-1].name == "end"
    return SplitPage(tuple(lines[: at[0]]), tuple(sections[:-1]), sections[-1])


@dataclasses.dataclass(frozen=True)
class Layout:
    source: str  # which page
    text: str
    repeated: frozenset[str]  # sections printed under more than one heading
    reordered: bool
    closing_at: int  # where in `text` the closing section starts


def render(section: Section, *, before_items: bool, doubled: bool, gap: str) -> list[str]:
    heading = [section.heading, *([gap] if gap else []), section.heading] if doubled else []
    lines = heading or [section.heading]
    repeat_at = set(section.items()[1:]) if before_items else set()
    for i, line in enumerate(section.body):
        if i in repeat_at:
            lines += [section.heading, *([gap] if gap else [])]
        lines.append(line)
    return lines


@st.composite
def layouts(draw: st.DrawFn, pages: dict[str, str], *, keep_order: bool = False) -> Layout:
    """One of the pages with its headings repeated before items, doubled, and its sections
    moved; the closing heading stays last, for it is how a page shows it arrived whole."""
    source = draw(st.sampled_from(sorted(pages)))
    page = split(pages[source])
    order = list(range(len(page.sections)))
    if not keep_order:
        order = draw(st.permutations(order))
    gap = draw(st.sampled_from(["", " "]))
    lines = list(page.header)
    repeated = set()
    closing_at = 0
    for section in [*(page.sections[i] for i in order), page.closing]:
        before_items, doubled = draw(st.booleans()), draw(st.booleans())
        if section is page.closing:
            before_items = False
            closing_at = len("\n".join(lines)) + 1
        if doubled or (before_items and len(section.items()) > 1):
            repeated.add(section.name)
        lines += render(section, before_items=before_items, doubled=doubled, gap=gap)
    return Layout(source, "\n".join(lines), frozenset(repeated), order != sorted(order), closing_at)


def facts(page: LegacyPage) -> dict[str, Any]:
    """The page without line numbers or warnings: what must not depend on the layout."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "line"}
        if isinstance(value, list | tuple):
            return [strip(v) for v in value]
        return value

    data = dataclasses.asdict(page)
    del data["warnings"]
    return strip(data)
