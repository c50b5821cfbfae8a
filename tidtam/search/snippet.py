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


def _spans(key: str, terms: Terms) -> tuple[list[tuple[int, int]], int]:
    """Where the terms occur in the key, merged, and how many distinct terms occur."""
    found: list[tuple[int, int]] = []
    hits = 0
    for piece in terms.pieces:
        at = key.find(piece)
        hits += at >= 0
        while at >= 0:
            found.append((at, at + len(piece)))
            at = key.find(piece, at + 1)
    if terms.words:
        wanted = set(terms.words)
        spans = [(s, e) for s, e, word in word_spans(key) if word in wanted]
        hits += len({key[s:e] for s, e in spans})
        found += spans
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged, hits


def _render(text: str, spans: list[tuple[int, int]]) -> SafeString:
    start = grapheme_floor(text, spans[0][0] - LEAD) if spans[0][0] > LEAD else 0
    # Start at a word break when one is near, rather than inside a word.
    space = text.rfind(" ", start, spans[0][0])
    if start and space >= 0 and space - start < LEAD // 2:
        start = space + 1
    end = grapheme_ceil(text, start + WIDTH)
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


def best_snippet(texts: ProjectTexts, terms: Terms) -> Snippet | None:
    """The passage with the most distinct terms, the first of them in the order a reader
    expects (code, name, agency, rationale, objectives, targets, reports newest first,
    problems, KPIs)."""
    wanted = len(terms.pieces) + len(terms.words)
    best: tuple[int, Source, date | None, str, list[tuple[int, int]]] | None = None
    for passage in texts.passages():
        key = normalise_thai(passage.text)
        spans, hits = _spans(key, terms)
        if spans and (best is None or hits > best[0]):
            display = fold_thai(passage.text)
            # Case and Thai digits fold character for character; when a rare letter's lower
            # case is longer, the key itself is shown, so that the marks fall right.
            text = display if len(display) == len(key) else key
            best = (hits, passage.source, passage.month, text, spans)
            if hits >= wanted:
                break
    if best is None:
        return None
    _, source, month, text, spans = best
    return Snippet(source, month, _render(text, spans))
