"""The passage a result shows: the project's text that matched best, cut to about 200
characters around the first match, with the query's terms marked. User text is escaped;
only the <mark> elements are markup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tidtam.lib.thai import fold_thai, grapheme_ceil, grapheme_floor, normalise_thai
from tidtam.search.index import word_spans
from tidtam.search.passages import ProjectTexts, Source
from tidtam.search.terms import Terms

WIDTH = 200
# How much text comes before the first match, so that it reads in context.
LEAD = 60


@dataclass(frozen=True)
class Snippet:
    source: Source
    month: date | None
    html: SafeString


def _spans(key: str, terms: Terms) -> tuple[list[tuple[int, int]], set[str]]:
    """Where the terms occur in the key, merged, and which terms occur."""
    found: list[tuple[int, int]] = []
    present: set[str] = set()
    for piece in terms.pieces:
        at = key.find(piece)
        if at >= 0:
            present.add(piece)
        while at >= 0:
            found.append((at, at + len(piece)))
            at = key.find(piece, at + 1)
    if terms.words:
        wanted = set(terms.words)
        for start, end, word in word_spans(key):
            if word in wanted:
                present.add(word)
                found.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged, present


def _shown(text: str, terms: Terms) -> tuple[str, list[tuple[int, int]], set[str]]:
    """The text as shown, where the terms are in it, and which terms it has."""
    key = normalise_thai(text)
    spans, present = _spans(key, terms)
    display = fold_thai(text)
    # Case and Thai digits fold character for character; when a rare letter's lower case is
    # longer, the key itself is shown, so that the marks fall right.
    return (display if len(display) == len(key) else key), spans, present


def _render(text: str, spans: list[tuple[int, int]], width: int | None = WIDTH) -> SafeString:
    if width is None:
        start, end = 0, len(text)
    else:
        start = grapheme_floor(text, spans[0][0] - LEAD) if spans[0][0] > LEAD else 0
        # Start at a word break when one is near, rather than inside a word.
        space = text.rfind(" ", start, spans[0][0])
        if start and space >= 0 and space - start < LEAD // 2:
            start = space + 1
        end = grapheme_ceil(text, start + width)
    parts = ["…"] if start else []
    at = start
    for span_start, span_end in spans:
        s = max(grapheme_floor(text, span_start), at)
        e = min(grapheme_ceil(text, span_end), end)
        if s >= end:
            break
        if e <= s:
            continue
        parts += [escape(text[at:s]), "<mark>", escape(text[s:e]), "</mark>"]
        at = e
    parts.append(escape(text[at:end]))
    if end < len(text):
        parts.append("…")
    # Every piece of text above went through escape(): only the marks are markup.
    return mark_safe("".join(parts))


def marked(text: str, terms: Terms) -> SafeString:
    """The whole text with the terms marked (a project's code or name)."""
    shown, spans, _ = _shown(text, terms)
    return _render(shown, spans, width=None) if spans else escape(shown)


def best_snippet(texts: ProjectTexts, terms: Terms) -> Snippet | None:
    """The passage that shows the terms a result's code and name (marked anyway) lack: the
    one with most of them, the first of those in the order a reader expects (agency,
    rationale, objectives, targets, reports newest first, problems, KPIs). None when the
    code and the name hold every term."""
    missing = {*terms.pieces, *terms.words}
    for title in (texts.code, texts.name):
        missing -= _shown(title, terms)[2]
    best: tuple[int, Source, date | None, str, list[tuple[int, int]]] | None = None
    for passage in texts.others:
        if not missing:
            break
        text, spans, present = _shown(passage.text, terms)
        hits = len(present & missing)
        if hits and (best is None or hits > best[0]):
            best = (hits, passage.source, passage.month, text, spans)
            if hits == len(missing):
                break
    if best is None:
        return None
    _, source, month, text, spans = best
    return Snippet(source, month, _render(text, spans))
