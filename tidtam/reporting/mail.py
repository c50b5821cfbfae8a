"""E-mail about reports, in Thai, sent by a background job once the change it reports on has
committed.

The mechanism (one message per person, rendered in Thai; approvers told of a submission, the
administrators when an agency has no approver to tell; sending after the commit, retried while
the mail server is down) serves the KPI results too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks import task

from tidtam.accounts.models import Membership, Role
from tidtam.orgs.models import Agency
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport

LANGUAGE = "th"

log = logging.getLogger(__name__)

# A notice the mail server refused is tried again after each of these waits: five attempts
# over about an hour, long enough for a server restart or a network cut, short enough that
# the approvers still hear of the submission the same day.
RETRY_AFTER = (
    timedelta(minutes=2),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=40),
)


class NotSent(Exception):
    """The mail server refused the messages to these recipients."""

    def __init__(self, recipients: Sequence[str]) -> None:
        super().__init__(", ".join(recipients))
        self.recipients = list(recipients)


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    with translation.override(LANGUAGE):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def send(template: str, context: dict[str, Any], recipients: Iterable[str]) -> int:
    """One message per person: colleagues do not see each other's addresses. `template` names
    the body, `{template}_subject.txt` the subject ("reporting/email/submitted")."""
    subject, body = _render(template, context)
    addresses = [address for address in sorted(set(recipients)) if address]
    if not addresses:
        return 0
    try:
        return send_mass_mail([(subject, body, None, [address]) for address in addresses])
    except Exception as error:
        raise NotSent(addresses) from error


def after_commit(sender: Callable[[int], int], object_id: int) -> None:
    """Have `sender(object_id)` (`send_submitted`, …: a module-level function) send its notice
    by a background job once the current transaction commits: the change never waits for the
    mail server, nor fails with it. A notice that cannot be sent is tried again (RETRY_AFTER);
    the last failure is logged as an error naming its recipients, and the job queue keeps it
    as a failed task."""
    path = f"{sender.__module__}.{sender.__qualname__}"
    # robust: a queue that cannot take the notice is logged, not turned into an error page
    # for a change that has already committed.
    transaction.on_commit(partial(_enqueue, path, object_id, 1), robust=True)


def _enqueue(sender: str, object_id: int, attempt: int) -> None:
    notice = send_notice
    if attempt > 1 and notice.get_backend().supports_defer:
        notice = notice.using(run_after=timezone.now() + RETRY_AFTER[attempt - 2])
    # A backend that cannot wait (the immediate one of the tests) tries again at once.
    notice.enqueue(sender, object_id, attempt)


@task()
def send_notice(sender: str, object_id: int, attempt: int) -> None:
    """One attempt at a notice; when it fails, the next is queued after its wait."""
    try:
        import_string(sender)(object_id)
    except Exception as error:
        recipients = error.recipients if isinstance(error, NotSent) else []
        if attempt > len(RETRY_AFTER):
            log.error(
                "notice %s(%s) not sent after %s attempts, given up; recipients: %s",
                sender,
                object_id,
                attempt,
                ", ".join(recipients) or "unknown",
                exc_info=error,
            )
            raise
        log.warning(
            "notice %s(%s) not sent (attempt %s of %s), tried again in %s: %s",
            sender,
            object_id,
            attempt,
            len(RETRY_AFTER) + 1,
            RETRY_AFTER[attempt - 1],
            error.__cause__ or error,
        )
        _enqueue(sender, object_id, attempt + 1)


def _send(kind: str, context: dict[str, Any], recipients: Iterable[str]) -> int:
    return send(f"reporting/email/{kind}", context, recipients)


def member_emails(agency_id: int, role: Role) -> list[str]:
    return list(
        Membership.objects.filter(
            agency_id=agency_id, role=role, user__is_active=True, user__email__gt=""
        ).values_list("user__email", flat=True)
    )


def approver_emails(agency_id: int) -> list[str]:
    """Whom a submission of the agency reaches: its active approvers with an address. Empty,
    the submission waits unseen, and the administrators are told instead."""
    return member_emails(agency_id, Role.APPROVER)


def administrator_emails() -> list[str]:
    """Active users with the administrator role or Django's staff flag, with an address."""
    users = get_user_model().objects.filter(is_active=True, email__gt="")
    return list(
        users.filter(Q(is_staff=True) | Q(memberships__role=Role.ADMINISTRATOR))
        .distinct()
        .values_list("email", flat=True)
    )


def tell_reviewers(agency_id: int, template: str, context: dict[str, Any]) -> int:
    """A submission to the approvers of the agency (`template`); when the agency has none to
    tell, to the administrators, saying who should be made its approver. The context carries
    `summary`, the template of the lines that say what was submitted, and `link`."""
    approvers = approver_emails(agency_id)
    if approvers:
        return send(template, context, approvers)
    agency = Agency.objects.filter(pk=agency_id).first()
    return send(
        "reporting/email/no_approver",
        {
            **context,
            "agency": agency,
            "memberships": site_link(reverse("admin:accounts_membership_add")),
        },
        administrator_emails(),
    )


def _report(report_id: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.select_related("project", "submitted_by", "reviewed_by")
        .filter(pk=report_id)
        .first()
    )


def _context(report: ProgressReport) -> dict[str, Any]:
    return {
        "report": report,
        "project": report.project,
        "summary": "reporting/email/_report_summary.txt",
        "who": report.submitted_by,
        "link": site_link(reverse("report-detail", args=[report.pk])),
    }


def send_submitted(report_id: int) -> int:
    """To the approvers of the report's agency (the administrators when it has none)."""
    report = _report(report_id)
    if report is None:
        return 0
    return tell_reviewers(report.project.agency_id, "reporting/email/submitted", _context(report))


def tell_submitter(submitter: Any, template: str, context: dict[str, Any]) -> int:
    """A decision on a record under review, to the officer who submitted it (nobody when
    they have left)."""
    if submitter is None or not submitter.is_active:
        return 0
    return send(template, context, [submitter.email])


def _to_submitter(kind: str, report_id: int) -> int:
    report = _report(report_id)
    if report is None:
        return 0
    return tell_submitter(report.submitted_by, f"reporting/email/{kind}", _context(report))


def send_returned(report_id: int) -> int:
    """To the officer who submitted the report."""
    return _to_submitter("returned", report_id)


def send_approved(report_id: int) -> int:
    return _to_submitter("approved", report_id)


def send_reminder(user_id: int, month: date, deadline: date, projects: Sequence[Project]) -> int:
    user = get_user_model().objects.get(pk=user_id)
    return _send(
        "reminder",
        {
            "user": user,
            "month": month,
            "deadline": deadline,
            "projects": [
                (project, site_link(reverse("report-new", args=[project.code])))
                for project in projects
            ],
            "calendars": [
                site_link(reverse("agency-compliance", args=[code]))
                for code in sorted({project.agency.code for project in projects})
            ],
        },
        [user.email],
    )
