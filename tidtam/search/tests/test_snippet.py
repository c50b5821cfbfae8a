"""The passage a result shows: cut between graphemes, terms marked, everything else escaped."""

from __future__ import annotations

from tidtam.lib.thai import grapheme_ceil, grapheme_floor
from tidtam.search.passages import Passage, ProjectTexts, Source
from tidtam.search.snippet import WIDTH, best_snippet
from tidtam.search.terms import parse

LONG = "ผู้รับจ้างเข้าดำเนินการ " * 20 + "เทคอนกรีตพื้นสะพาน " + "แล้วเสร็จตามแผน " * 20


def texts(*passages: Passage) -> ProjectTexts:
    return ProjectTexts(code="99990000-0001", name="โครงการหนึ่ง", others=passages)


def test_a_long_passage_is_cut_around_the_first_match_between_graphemes() -> None:
    snippet = best_snippet(texts(Passage(Source.RATIONALE, LONG)), parse("สะพาน"))
    assert snippet is not None and snippet.source == Source.RATIONALE
    html = str(snippet.html)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>สะพาน</mark>" in html
    body = html.strip("…").replace("<mark>", "").replace("</mark>", "")
    assert len(body) <= WIDTH + 10
    at = LONG.index(body)
    assert grapheme_floor(LONG, at) == at and grapheme_ceil(LONG, at + len(body)) == at + len(body)


def test_a_match_inside_a_cluster_marks_the_whole_cluster() -> None:
    # "สร้างสะพ" ends on a consonant whose vowel follows: the mark takes the vowel too.
    snippet = best_snippet(texts(Passage(Source.RATIONALE, "ก่อสร้างสะพาน")), parse("ก่อสร"))
    assert snippet is not None
    assert "<mark>ก่อสร้</mark>" in str(snippet.html)


def test_the_passage_with_most_terms_wins_and_the_display_keeps_its_spelling() -> None:
    snippet = best_snippet(
        texts(
            Passage(Source.RATIONALE, "ซ่อมถนน"),
            Passage(Source.KPI, "ซ่อมถนน ๑๒ สาย & <ทางเท้า>"),
        ),
        parse("ถนน 12 ทางเท้า"),
    )
    assert snippet is not None and snippet.source == Source.KPI
    assert str(snippet.html) == (
        "ซ่อม<mark>ถนน</mark> <mark>๑๒</mark> สาย &amp; &lt;<mark>ทางเท้า</mark>&gt;"
    )
