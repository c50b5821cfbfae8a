"""A query as terms: normalised like the indexed text, split on spaces; see query.py for the
matching rule."""

from __future__ import annotations

from dataclasses import dataclass

from tidtam.lib.thai import normalise_thai
from tidtam.search.index import words_of

# Trigram indexes (FTS5's and pg_trgm's) need three characters to look a substring up.
MIN_SUBSTRING = 3


@dataclass(frozen=True)
class Terms:
    pieces: tuple[str, ...]  # three characters or more: substrings
    words: tuple[str, ...]  # from shorter pieces: whole words

    def __bool__(self) -> bool:
        return bool(self.pieces or self.words)


def parse(text: str) -> Terms:
    pieces: list[str] = []
    words: list[str] = []
    for piece in normalise_thai(text).split(" "):
        if len(piece) >= MIN_SUBSTRING:
            if piece not in pieces:
                pieces.append(piece)
        else:
            words += [w for w in words_of(piece) if w not in words]
    return Terms(tuple(pieces), tuple(words))
