"""The audit trail as people read it: django-simple-history rows turned into dated entries.

A trail is drawn from a list of sources, each a model with history and a way to pick its rows
for a subject (a project, the whole city). The page of entries is chosen by one UNION query
over all sources, newest first; then each source that has rows on the page is read once, with
the previous version of every changed row, and the records the rows point to are read once per
related model. The number of queries follows the number of sources, never the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from simple_history.utils import get_history_model_for_model

from tidtam.audit.models import AuditNote, event_label
from tidtam.lib import thai
from tidtam.lib.language import current_language
from tidtam.lib.people import person_name

PER_PAGE = 25
# Long texts (a rationale, a narrative) are cut in the trail: the record itself has them whole.
VALUE_LIMIT = 300


class Action:
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"


_ACTIONS = {"+": Action.CREATED, "~": Action.CHANGED, "-": Action.DELETED}


class Refs:
    """Records the history rows point to, read once per related model for a whole page."""

    def __init__(self) -> None:
        self._wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self._found: dict[type[models.Model], dict[Any, models.Model]] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None:
            self._wanted[model].add(pk)

    def load(self) -> None:
        for model, keys in self._wanted.items():
            self._found[model] = model._default_manager.in_bulk(keys)

    def get(self, model: type[models.Model], pk: Any) -> models.Model | None:
        return self._found.get(model, {}).get(pk)

    def of(self, row: Any, name: str) -> models.Model | None:
        """The record a history row's foreign key `name` points to, if it still exists."""
        fk = _model_field(row, name)
        return self.get(fk.related_model, getattr(row, fk.attname))


def _model_field(row: Any, name: str) -> Any:
    return row.instance_type._meta.get_field(name)


def plain_label(row: Any, refs: Refs) -> str:
    return str(row.instance)


@dataclass(frozen=True)
class Source:
    """One model whose history belongs to the trail.

    `where` gives the condition on the model's history rows for the trail's subject;
    `label` names the record from a history row (and the records in `refs`, read in bulk).
    """

    model: type[models.Model]
    kind: str | Promise
    where: Callable[[Any], Q] = lambda subject: Q()
    label: Callable[[Any, Refs], str] = plain_label
    refs: tuple[str, ...] = ()
    # Names for fields declared without a verbose name (an order, a foreign key to a parent).
    names: Mapping[str, str | Promise] = field(default_factory=dict)
    # Bookkeeping fields whose changes say nothing to a reader (a lock version).
    skip: frozenset[str] = frozenset()
    # How to name the record a foreign key points to, when its own str() is not for people.
    shows: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)

    @property
    def history(self) -> Any:
        return get_history_model_for_model(self.model)


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    label: str
    action: str
    # What the row recorded (an event, translated) and the person's own comment, whole.
    reason: str
    changes: list[Change] = field(default_factory=list)
    comment: str = ""

    @property
    def action_label(self) -> str:
        return {
            Action.CREATED: _("created"),
            Action.CHANGED: _("changed"),
            Action.DELETED: _("deleted"),
        }[self.action]


def who(row: Any) -> str:
    if row.history_user is None:
        # Rows without a user come from the legacy importer and the reference loaders.
        return _("the importer")
    return person_name(row.history_user)


def _tracked(model: type[models.Model]) -> list[Any]:
    """The fields a person edits: keys and automatic timestamps are not changes of record."""
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def display(
    model_field: Any, value: Any, refs: Refs, show: Callable[[Any], str] | None = None
) -> str:
    """A field value as the record's pages would show it."""
    if value is None or value == "":
        return "—"
    lang = current_language()
    if model_field.is_relation:
        related = refs.get(model_field.related_model, value)
        if related is None:
            return f"#{value}"
        if show is not None:
            return show(related)
        if isinstance(related, AbstractBaseUser):
            return person_name(related)
        return str(related)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return thai.format_datetime(local, lang=lang)
    if isinstance(value, date):
        return thai.format_date(value, lang=lang)
    if isinstance(value, Decimal):
        places = getattr(model_field, "decimal_places", None) or 0
        return f"{value:,.{places}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return thai.truncate(str(value), VALUE_LIMIT)


def _diff(fields: list[Any], row: Any, previous: Any) -> list[tuple[Any, Any, Any]]:
    return [
        (f, getattr(previous, f.attname), getattr(row, f.attname))
        for f in fields
        if getattr(previous, f.attname) != getattr(row, f.attname)
    ]


def _page_keys(sources: Sequence[Source], subject: Any) -> models.QuerySet[Any]:
    """(date, history id, source number) of every row of the trail, newest first."""
    parts = [
        source.history.objects.filter(source.where(subject))
        .annotate(source=Value(n, output_field=IntegerField()))
        .values_list("history_date", "history_id", "source")
        .order_by()
        for n, source in enumerate(sources)
    ]
    first, *rest = parts
    combined = first.union(*rest, all=True) if rest else first
    ordered: models.QuerySet[Any] = combined.order_by("-history_date", "-source", "-history_id")
    return ordered


def _read_rows(source: Source, ids: Iterable[int]) -> tuple[dict[int, Any], dict[int, Any]]:
    """The source's rows on the page, and the version before each of them, in two queries."""
    history = source.history
    pk_name = source.model._meta.pk.attname
    previous_id = (
        history.objects.filter(
            **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
        )
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    rows = {
        row.history_id: row
        for row in history.objects.filter(history_id__in=list(ids))
        .select_related("history_user")
        .annotate(previous_id=Subquery(previous_id))
    }
    wanted = [r.previous_id for r in rows.values() if r.history_type == "~" and r.previous_id]
    previous = {row.history_id: row for row in history.objects.filter(history_id__in=wanted)}
    return rows, previous


def notes_of(rows: Iterable[Any]) -> dict[tuple[str, int], str]:
    """The comments of these history rows (of any models), in one query, by (history model
    label, history id)."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        wanted[row._meta.label_lower].append(row.history_id)
    if not wanted:
        return {}
    where = Q()
    for label, ids in wanted.items():
        where |= Q(history_model=label, history_id__in=ids)
    return {
        (note.history_model, note.history_id): note.comment
        for note in AuditNote.objects.filter(where)
    }


def trail_page(
    sources: Sequence[Source], subject: Any, *, number: Any = 1, per_page: int = PER_PAGE
) -> Page[Entry]:
    """One page of the subject's trail, newest first, as entries ready to show."""
    paginator = Paginator(_page_keys(sources, subject), per_page)
    keys = paginator.get_page(number)
    by_source: dict[int, list[int]] = defaultdict(list)
    for _when, history_id, n in keys.object_list:
        by_source[n].append(history_id)

    read = {n: _read_rows(sources[n], ids) for n, ids in by_source.items()}
    refs = Refs()
    diffs: dict[tuple[int, int], list[tuple[Any, Any, Any]]] = {}
    for n, (rows, previous) in read.items():
        source = sources[n]
        fields = [f for f in _tracked(source.model) if f.name not in source.skip]
        for row in rows.values():
            for name in source.refs:
                fk = _model_field(row, name)
                refs.want(fk.related_model, getattr(row, fk.attname))
            before = previous.get(row.previous_id) if row.history_type == "~" else None
            changed = _diff(fields, row, before) if before is not None else []
            for model_field, old, new in changed:
                if model_field.is_relation:
                    refs.want(model_field.related_model, old)
                    refs.want(model_field.related_model, new)
            diffs[n, row.history_id] = changed
    refs.load()
    notes = notes_of(row for rows, _previous in read.values() for row in rows.values())

    entries = []
    for _when, history_id, n in keys.object_list:
        source = sources[n]
        row = read[n][0][history_id]
        entries.append(
            Entry(
                when=timezone.localtime(row.history_date),
                who=who(row),
                kind=str(source.kind),
                label=thai.truncate(source.label(row, refs), 200),
                action=_ACTIONS[row.history_type],
                reason=event_label(row.history_change_reason),
                comment=notes.get((row._meta.label_lower, history_id), ""),
                changes=[
                    Change(
                        str(source.names.get(model_field.name, model_field.verbose_name)),
                        display(model_field, old, refs, source.shows.get(model_field.name)),
                        display(model_field, new, refs, source.shows.get(model_field.name)),
                    )
                    for model_field, old, new in diffs[n, history_id]
                ],
            )
        )
    return Page(entries, keys.number, paginator)
