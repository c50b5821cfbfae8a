"""The review cycle that monthly reports and quarterly KPI results go through, once.

An officer enters a draft and submits it; an approver of the agency approves it (it then counts
and is public) or returns it with a comment saying what to correct; a returned record is
edited and submitted again. Every step locks the record's row, refuses a form loaded against an
older version (`version`, one more at every change), writes its history row with a
language-neutral event and the person's comment, and tells the people concerned by e-mail once
the change has committed. Nobody approves a record they took part in entering (four eyes, read
from the history: tidtam/audit/authorship.py).

What differs between the two kinds of record (their words, the quarter rules, whose standing
they change, the e-mail sent) is a `ReviewKind`, given by the action of each application.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, Self, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tidtam.accounts.access import access_for
from tidtam.audit import write
from tidtam.audit.models import Event
from tidtam.audit.write import Actor


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    APPROVED = "approved", _("approved")


# An officer may change a record only before it is submitted or after it is returned.
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


class Reviewed(Protocol):
    """What a record under review carries (ProgressReport, KpiResult)."""

    pk: Any
    status: str
    version: int
    review_comment: str
    submitted_by: Any
    submitted_at: Any
    reviewed_by: Any
    reviewed_at: Any

    def get_status_display(self) -> str: ...


R = TypeVar("R", bound=models.Model)


class ReviewQuerySet(models.QuerySet[R]):
    """Queries of the review cycle, the same for every kind of record. A kind names the path
    to its agency (`agency_field`) and says who took part in entering a record
    (`_entered_by`)."""

    agency_field = ""

    def _entered_by(self, pk: int) -> Q:
        raise NotImplementedError

    def _entered(self, user: object) -> Q | Value:
        pk = getattr(user, "pk", None)
        if pk is None:
            return Value(False, output_field=BooleanField())
        return self._entered_by(pk)

    def official(self) -> Self:
        """The records that count: approved ones. Standings, figures and flags read these
        alone, whoever reads."""
        return self.filter(status=ReviewStatus.APPROVED)

    def editable(self) -> Self:
        """Drafts and returned records: those an officer may still change."""
        return self.filter(status__in=EDITABLE)

    def entered_by(self, user: object) -> Self:
        """The records the user took part in entering: they may not approve them."""
        return self.filter(self._entered(user))

    def with_entered_by(self, user: object) -> Self:
        return self.annotate(
            entered_by_viewer=ExpressionWrapper(self._entered(user), output_field=BooleanField())
        )

    def awaiting_review_by(self, user: object) -> Self:
        """Submitted records of the agencies the user approves for, oldest submission first;
        each says whether the user entered it (`entered_by_viewer`: they may not approve it)."""
        return (
            self.filter(
                status=ReviewStatus.SUBMITTED,
                **{f"{self.agency_field}__in": access_for(user).approver_of},
            )
            .with_entered_by(user)
            .order_by("submitted_at", "id")
        )


@dataclass(frozen=True)
class ReviewTexts:
    """The sentences of the cycle in a kind's own words (whole sentences, for translators)."""

    stale: str | Promise
    not_submittable: str | Promise
    # %(status)s: the record's status.
    not_reviewable: str | Promise
    entered: str | Promise
    comment_required: str | Promise
    # %(status)s: the record's status.
    not_approved: str | Promise


class Stale(ValidationError):
    """Someone else changed the record after this form was loaded. `current`: the record as
    it is now."""

    def __init__(self, message: str | Promise, current: Any) -> None:
        super().__init__(str(message), code="stale")
        self.current = current


def _none(record: Any) -> None:
    return None


@dataclass(frozen=True)
class ReviewKind(Generic[R]):
    model: type[R]
    texts: ReviewTexts
    # Whose derived state the record's change refreshes (write.facts_changed).
    facts: Callable[[R], None]
    # E-mail senders (tidtam/reporting/mail.py after_commit), by record id.
    on_submitted: Callable[[int], int]
    on_approved: Callable[[int], int]
    on_returned: Callable[[int], int]
    # The kind's own rules, raising ValidationError: before a submission, a decision, a return.
    check_submit: Callable[[R], None] = _none
    check_review: Callable[[R], None] = _none
    check_return: Callable[[R], None] = _none
    # The stale refusal, when a kind has its own subclass of Stale (StaleReport).
    stale: Callable[[R], Stale] | None = None
    # Related rows read with the locked record (select_related).
    related: tuple[str, ...] = ()


def refuse(message: str | Promise, code: str = "state") -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [str(message)]}, code=code)


def lock(kind: ReviewKind[R], record: R, expected_version: int | None) -> R:
    """The record's row, locked until the transaction ends, read afresh; refused when it is
    no longer at the version the person's form was loaded with (None: the caller has no
    form to compare, as a command)."""
    rows = kind.model._default_manager.select_for_update()
    if kind.related:
        rows = rows.select_related(*kind.related)
    current = rows.get(pk=record.pk)
    if expected_version is not None and _reviewed(current).version != expected_version:
        raise kind.stale(current) if kind.stale else Stale(kind.texts.stale, current)
    return current


def _reviewed(record: Any) -> Reviewed:
    # The kinds' models carry the fields of Reviewed; Django's models are not typed as
    # protocols, so the check is the tests' of each kind.
    reviewed: Reviewed = record
    return reviewed


def changed(kind: ReviewKind[R], current: R, *, by: Actor, event: str = "", comment: str = "") -> R:
    """Save a change of a locked record: one version more, its history row, its facts."""
    _reviewed(current).version += 1
    write.save(current, by=by, event=event, comment=comment)
    kind.facts(current)
    return current


def require_editable(record: Any, message: str | Promise) -> None:
    """`message` with %(status)s."""
    if _reviewed(record).status not in EDITABLE:
        raise refuse(
            str(message) % {"status": _reviewed(record).get_status_display()}, code="locked"
        )


def submit(kind: ReviewKind[R], record: R, *, by: Actor, expected_version: int | None) -> R:
    """Send a draft or returned record to the agency's approvers."""
    current = lock(kind, record, expected_version)
    row = _reviewed(current)
    if row.status not in EDITABLE:
        raise refuse(kind.texts.not_submittable)
    kind.check_submit(current)
    row.status = ReviewStatus.SUBMITTED
    row.submitted_by = write.user_of(by)
    row.submitted_at = timezone.now()
    changed(kind, current, by=by, event=Event.SUBMITTED)
    _notify(kind.on_submitted, current)
    return current


def _decide(kind: ReviewKind[R], record: R, *, by: Actor, expected_version: int | None) -> R:
    current = lock(kind, record, expected_version)
    row = _reviewed(current)
    if row.status != ReviewStatus.SUBMITTED:
        raise refuse(str(kind.texts.not_reviewable) % {"status": row.get_status_display()})
    kind.check_review(current)
    row.reviewed_by = write.user_of(by)
    row.reviewed_at = timezone.now()
    return current


def approve(
    kind: ReviewKind[R], record: R, *, by: Actor, comment: str, expected_version: int | None
) -> R:
    """Approve a submitted record: it counts, and is public with its project or KPI, from
    then on. Not by a person who took part in entering it; they may return it."""
    current = _decide(kind, record, by=by, expected_version=expected_version)
    queryset: Any = kind.model._default_manager.filter(pk=current.pk)
    if queryset.entered_by(by).exists():
        raise refuse(kind.texts.entered, code="own")
    row = _reviewed(current)
    row.status = ReviewStatus.APPROVED
    row.review_comment = comment.strip()
    changed(kind, current, by=by, event=Event.APPROVED, comment=row.review_comment)
    _notify(kind.on_approved, current)
    return current


def return_(
    kind: ReviewKind[R], record: R, *, by: Actor, comment: str, expected_version: int | None
) -> R:
    """Send a submitted record back to its officer, saying what to correct."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": [str(kind.texts.comment_required)]}, code="required")
    current = _decide(kind, record, by=by, expected_version=expected_version)
    kind.check_return(current)
    row = _reviewed(current)
    row.status = ReviewStatus.RETURNED
    row.review_comment = comment
    changed(kind, current, by=by, event=Event.RETURNED, comment=comment)
    _notify(kind.on_returned, current)
    return current


def withdraw_approval(kind: ReviewKind[R], record: R, *, by: Actor, comment: str) -> R:
    """Send an approved record back to its officer for a correction, saying why (the
    administrator's way to change a record that counts: the officer corrects it and it is
    reviewed again). It no longer counts meanwhile."""
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": [str(kind.texts.comment_required)]}, code="required")
    current = lock(kind, record, None)
    row = _reviewed(current)
    if row.status != ReviewStatus.APPROVED:
        raise refuse(str(kind.texts.not_approved) % {"status": row.get_status_display()})
    kind.check_return(current)
    row.status = ReviewStatus.RETURNED
    row.review_comment = comment
    row.reviewed_by = write.user_of(by)
    row.reviewed_at = timezone.now()
    changed(kind, current, by=by, event=Event.APPROVAL_WITHDRAWN, comment=comment)
    _notify(kind.on_returned, current)
    return current


def send_back(kind: ReviewKind[R], record: R, *, by: Actor, comment: str) -> R:
    """Return a submitted record, or withdraw the approval of an approved one, with the
    person's comment: the one way the admin changes a record under review."""
    if _reviewed(record).status == ReviewStatus.APPROVED:
        return withdraw_approval(kind, record, by=by, comment=comment)
    return return_(kind, record, by=by, comment=comment, expected_version=None)


def under_review(record: Any) -> bool:
    """Submitted or approved: changed only through the cycle's actions, never directly."""
    return _reviewed(record).status in (ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)


def _notify(sender: Callable[[int], int], record: models.Model) -> None:
    # The mail module reads the models, which read this module's states: imported on use.
    from tidtam.reporting.mail import after_commit

    after_commit(sender, record.pk)
