"""Finding projects by their words: the one matching rule, for the search page and for the
project list's text filter.

The rule, identical on SQLite and PostgreSQL:

- The query is normalised like the indexed text (`normalise_thai`: SARA AM, zero-width
  characters, Thai digits, case) and split on spaces into pieces.
- A piece of three characters or more matches when it occurs anywhere in a project's indexed
  text, inside a word or across words: "สร้างสะพ" and "ก่อสร้าง" both find "โครงการก่อสร้าง
  สะพาน", however PyThaiNLP happened to segment either side.
- A shorter piece ("ไฟ", "5") is too short for a trigram index: it is segmented, and each of its
  words must be a whole word of the project's segmented text. "ไฟ" finds "ซ่อมไฟ ทาง", not
  "ไฟฟ้า".
- A project matches when every piece does (in any of its texts): more words, fewer projects.

Ranking, computed the same way on both databases (no engine's relevance score): a project
whose code equals a piece first, then one whose code contains a piece, then one whose name
contains every piece, then the others; within each, the newest fiscal year first, then the
code. Pieces shorter than three characters do not rank.

A search lists at most CAP projects. A query matching more is answered without ranking every
match: each tier is looked up through the text index when it is small, and otherwise read in
list order until the page is full, which for a common word is after a few rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.safestring import SafeString

from tidtam.projects.models import Project
from tidtam.search import store
from tidtam.search.models import SearchEntry, marked_word
from tidtam.search.passages import collect
from tidtam.search.snippet import Snippet, best_snippet, marked
from tidtam.search.terms import Terms, parse

CAP = 1000
# Beyond this many rows into a tier of at most BIG projects, the tier is sorted, not read.
DEEP = 100
BIG = 10 * CAP
ORDER = ("-fiscal_year_id", "code")


def _all(conditions: Sequence[Q]) -> Q:
    return reduce(and_, conditions, Q())


def _any(conditions: Sequence[Q]) -> Q:
    return reduce(or_, conditions)


def _anywhere(piece: str) -> Q:
    return (
        Q(search_entry__code_key__contains=piece)
        | Q(search_entry__name_key__contains=piece)
        | Q(search_entry__body__contains=piece)
    )


def _sqlite(projects: QuerySet[Project]) -> bool:
    return connections[projects.db].vendor == "sqlite"


def _entry_test(terms: Terms, *, sqlite: bool) -> Q:
    """Every term, as a test of an entry's own row (never through a text index)."""

    def has(column: str, text: str) -> Q:
        return store.row_contains(column, text, sqlite=sqlite)

    return _all(
        [
            *(_any([has(c, p) for c in ("code_key", "name_key", "body")]) for p in terms.pieces),
            *(has("short_words", marked_word(w)) for w in terms.words),
        ]
    )


def _row_test(terms: Terms, *, sqlite: bool) -> Q:
    """Every term, tested on each project's own entry in a subquery per project row: the
    projects' other filters and their order come first, whatever the planner makes of the
    text tests (joined, PostgreSQL may choose to test every entry of every year first)."""
    tests = _entry_test(terms, sqlite=sqlite)
    entry = SearchEntry.objects.filter(project=OuterRef("pk")).values(
        ok=ExpressionWrapper(tests, output_field=BooleanField())
    )
    return Q(Subquery(entry[:1], output_field=BooleanField()))


def _matches(terms: Terms, *, sqlite: bool, row_test: bool = False) -> Q:
    """Every term: on PostgreSQL through the text indexes, or with `row_test` row by row
    (SQLite's text indexes are reached through `store.fts_*` instead)."""
    if row_test:
        return _row_test(terms, sqlite=sqlite)
    words = [store.has_short_word(w) for w in terms.words]
    return _all([_anywhere(p) for p in terms.pieces]) & _all(words)


def _fts_all(terms: Terms) -> str:
    """SQLite: every term, as one FTS5 expression over the whole text."""
    return " AND ".join(
        [
            *(f"{store.TEXT_COLUMNS} : {store.fts_phrase(p)}" for p in terms.pieces),
            *(store.fts_short_word(w) for w in terms.words),
        ]
    )


def filter_projects(
    projects: QuerySet[Project], text: str, *, fiscal_year: int | None = None
) -> QuerySet[Project]:
    """The projects among these whose text has every term of `text` (the rule above); all of
    them when `text` has no term. No ranking: the caller keeps its own order.

    `fiscal_year`: the projects are of that year, a few thousand, so each of them is tested
    rather than a common word's projects of every year listed and these kept among them: on
    SQLite against the set of the text index's matches (see `store.fts_member`); on
    PostgreSQL the year's entries, read from their index by year, each on its own row (see
    `store.row_contains`), and the projects kept that are among them (tested from each
    project's side instead, every one of them looked up its entry on its own: half again as
    long for a word in a third of the year's projects)."""
    terms = parse(text)
    if not terms:
        return projects
    sqlite = _sqlite(projects)
    if fiscal_year is not None and sqlite:
        return projects.filter(store.fts_member(_fts_all(terms)))
    if fiscal_year is not None:
        entries = SearchEntry.objects.filter(
            _entry_test(terms, sqlite=False), fiscal_year=fiscal_year
        )
        return projects.filter(pk__in=entries.values("project_id"))
    if sqlite:
        return projects.filter(pk__in=store.fts_ids(_fts_all(terms)))
    return projects.filter(_matches(terms, sqlite=False))


@dataclass(frozen=True)
class _Index:
    """SQLite: how to find a tier's projects through an FTS5 table (the rest of the terms are
    then tested row by row)."""

    table: str
    expression: str
    rows: Q


@dataclass(frozen=True)
class _Tier:
    condition: Q  # on the entry's code and name, assuming the earlier tiers failed
    index: _Index | None  # None: the condition is looked up through a b-tree index
    # The condition finds the tier's projects by itself (through the code's or the name's
    # index): on PostgreSQL the terms are then tested on those rows only, never through the
    # larger text's index as well.
    narrow: bool = True


def _everything(terms: Terms) -> _Index:
    return _Index(store.TEXT_FTS, _fts_all(terms), Q())


def _tiers(terms: Terms) -> list[_Tier]:
    pieces = terms.pieces
    if not pieces:
        return [_Tier(Q(), _everything(terms))]
    exact = Q(search_entry__code_key__in=pieces)
    partial = _any([Q(search_entry__code_key__contains=p) for p in pieces])
    named = _all([Q(search_entry__name_key__contains=p) for p in pieces])
    in_code = " OR ".join(f"code_key : {store.fts_phrase(p)}" for p in pieces)
    in_name = " AND ".join(f"name_key : {store.fts_phrase(p)}" for p in pieces)
    if terms.words:
        # The short words are only in the large table: one expression there beats testing
        # every named project's row for them.
        short = " AND ".join(store.fts_short_word(w) for w in terms.words)
        by_name = _Index(store.TEXT_FTS, f"{in_name} AND {short}", Q())
    else:
        by_name = _Index(store.TITLE_FTS, in_name, Q())
    return [
        _Tier(exact, None),
        _Tier(partial & ~exact, _Index(store.TITLE_FTS, in_code, _matches(terms, sqlite=True))),
        _Tier(named & ~exact & ~partial, by_name),
        _Tier(~exact & ~partial & ~named, _everything(terms), narrow=False),
    ]


def _rank(terms: Terms) -> Case:
    tiers = _tiers(terms)
    return Case(
        *(When(tier.condition, then=Value(n)) for n, tier in enumerate(tiers[:-1])),
        default=Value(len(tiers) - 1),
        output_field=IntegerField(),
    )


def _probe(
    visible: QuerySet[Project],
    terms: Terms,
    tier: _Tier | None,
    exclude: list[int],
    limit: int = CAP + 1,
) -> list[int]:
    """Up to `limit` ids of the visible projects matching the terms (in this tier), found
    through the text indexes."""
    sqlite = _sqlite(visible)
    index = _everything(terms) if tier is None else tier.index
    if sqlite and index is not None:
        found = store.fts_candidates(visible, index.table, index.expression).filter(index.rows)
    elif tier is None:
        found = visible.filter(_matches(terms, sqlite=sqlite))
    else:
        matches = _matches(terms, sqlite=sqlite, row_test=tier.narrow)
        found = visible.filter(tier.condition & matches)
    if exclude:
        found = found.exclude(pk__in=exclude)
    return list(found.order_by().values_list("pk", flat=True)[:limit])


def _walk(visible: QuerySet[Project], terms: Terms, tier: _Tier, need: int) -> list[int]:
    """The first `need` projects of a common tier, read in list order and tested row by row:
    the page is among the first rows read."""
    matches = _matches(terms, sqlite=_sqlite(visible), row_test=True)
    rows = visible.filter(matches & tier.condition).order_by(*ORDER)
    return list(rows.values_list("pk", flat=True)[:need])


@dataclass(frozen=True)
class Ranked:
    ids: list[int]  # the page's projects, best first
    total: int | None  # None: more than CAP


def ranked(visible: QuerySet[Project], terms: Terms, *, offset: int, limit: int) -> Ranked:
    """A page of the visible projects matching the terms, in rank order."""
    tiers = _tiers(terms)
    # The tier of the projects named by every piece, looked up first when there is one: a
    # word common in names (most queries that match many projects) answers "more than CAP?"
    # from the short names alone, without reading every matching report narrative.
    named = tiers[2] if len(tiers) == 4 else None
    named_found = _probe(visible, terms, named, []) if named is not None else []
    if len(named_found) <= CAP:
        probe = _probe(visible, terms, None, [])
        if len(probe) <= CAP:
            order = Project.objects.filter(pk__in=probe).order_by(*ORDER)
            if terms.pieces:
                # Short pieces do not rank: without a long one every match is of one tier.
                order = order.annotate(tier=_rank(terms)).order_by("tier", *ORDER)
            ids = order.values_list("pk", flat=True)
            return Ranked(list(ids[offset : offset + limit]), len(probe))
    stop = min(offset + limit, CAP)
    if offset >= stop:
        return Ranked([], None)
    window: list[int] = []
    earlier: list[int] = []
    for tier in tiers:
        need = stop - len(window)
        if need <= 0:
            break
        if tier is tiers[-1] and (not earlier or (need <= DEEP and len(earlier) <= CAP // 2)):
            # More than CAP match, and the earlier tiers hold at most half of them: the last
            # tier is common enough for its first rows in list order to come soon.
            window += _walk(visible, terms, tier, need)
            continue
        if tier is named and not earlier:
            # Found above; the earlier tiers, which it would leave out, found nothing.
            found = named_found
        else:
            found = _probe(visible, terms, tier, earlier)
        if len(found) <= CAP:
            order = Project.objects.filter(pk__in=found).order_by(*ORDER)
            window += order.values_list("pk", flat=True)
            earlier += found
            continue
        if need > DEEP:
            # A page far down a tier of middling size: sorting the whole tier is cheaper
            # than reading the list until the page.
            found = _probe(visible, terms, tier, earlier, limit=BIG + 1)
            if len(found) <= BIG:
                order = Project.objects.filter(pk__in=found).order_by(*ORDER)
                window += order.values_list("pk", flat=True)[:need]
                continue
        window += _walk(visible, terms, tier, need)
    return Ranked(window[offset:stop], None)


PAGE_SIZE = 20


@dataclass(frozen=True)
class Hit:
    project: Project  # with its agency, fiscal year and standing
    code: SafeString  # the terms marked
    name: SafeString
    snippet: Snippet | None  # the passage with the terms the code and name lack


@dataclass(frozen=True)
class Results:
    terms: Terms
    hits: list[Hit]
    page: int
    total: int | None  # None: more than CAP match, and the first CAP are listed

    @property
    def pages(self) -> int:
        listed = CAP if self.total is None else self.total
        return max(1, -(-listed // PAGE_SIZE))


def search(user: object, text: str, *, page: int = 1) -> Results:
    """A page of the projects `user` may see whose text has every term, best first, each
    with the passage that matched. A fixed number of queries, whatever the number of hits."""
    terms = parse(text)
    if not terms:
        return Results(terms, [], 1, 0)
    visible = Project.objects.visible_to(user)
    page = max(1, page)
    found = ranked(visible, terms, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    projects = Project.objects.filter(pk__in=found.ids).select_related(
        "agency", "fiscal_year", "standing"
    )
    by_pk = {p.pk: p for p in projects}
    texts = collect(found.ids)
    hits = [
        Hit(
            project=by_pk[pk],
            code=marked(by_pk[pk].code, terms),
            name=marked(by_pk[pk].name, terms),
            snippet=best_snippet(texts[pk], terms) if pk in texts else None,
        )
        for pk in found.ids
        if pk in by_pk
    ]
    return Results(terms, hits, page, found.total)
