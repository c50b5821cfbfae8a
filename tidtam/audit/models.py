"""What a history row says about why: a language-neutral event and the person's own comment.

django-simple-history keeps one `history_change_reason` of at most 100 characters per row.
Tidtam stores there the event code (`approved`, `returned`, …: short, the same in every
language, translated when the trail is read) or, for writes that name no event, a short label
of their own (the importer's "legacy import: FILE"). The person's comment, of any length, is an
AuditNote keyed to the history row: a review decision or a re-baseline has one, the importer's
thousands of rows have none, so the bulk writes cost what they did and no historical table of
another application changes shape.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CREATED = "created", _("created")
    SUBMITTED = "submitted", _("submitted for review")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned for correction")
    APPROVAL_WITHDRAWN = "approval_withdrawn", _("approval withdrawn for correction")
    REBASELINED = "rebaselined", _("re-baselined")
    PLAN_CHANGED = "plan_changed", _("operating plan changed")
    RESULT_ENTERED = "result_entered", _("quarterly result entered")
    EVALUATED = "evaluated", _("quarterly evaluation")
    QUARTER_CLOSED = "quarter_closed", _("quarter closed")
    DRAFT_DELETED = "draft_deleted", _("draft deleted")
    RESOLVED = "resolved", _("problem resolved")
    REOPENED = "reopened", _("problem reopened")
    RAISED_BY_MISTAKE = "raised_by_mistake", _("removed: raised by mistake")
    ADMIN_CHANGED = "admin_changed", _("changed in the administration site")


def event_label(code: str | None) -> str:
    """The reader's words for what a history row recorded: the event translated, or a label
    that is no event (an importer's) as it was written."""
    if not code:
        return ""
    if code in Event.values:
        return str(Event(code).label)
    return code


class AuditNote(models.Model):
    """The comment a person gave with one change of record, whole."""

    # The historical model's label ("reporting.historicalprogressreport") and its row.
    history_model = models.CharField(_("history table"), max_length=100)
    history_id = models.BigIntegerField(_("history row"))
    comment = models.TextField(_("comment"))

    class Meta:
        verbose_name = _("audit comment")
        verbose_name_plural = _("audit comments")
        constraints = [
            models.UniqueConstraint(
                fields=["history_model", "history_id"], name="auditnote_one_per_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.history_model}#{self.history_id}"


class PublishedVersion(models.Model):
    """One row: a number raised after every committed action that changes what a public page
    shows (a standing, a report's approval, a project, an agency's or plan's name). Cached
    public pages are keyed on it (dashboards/public_cache.py), so a change is seen by every
    application server at once without deleting anything from the cache."""

    number = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("published version")

    def __str__(self) -> str:
        return str(self.number)
