"""Atom feeds of newly approved monthly reports, for a project, an agency and a district
office, so that citizens and journalists can follow them in a feed reader.

A feed holds what the public sees, whoever fetches it (a feed reader has no session): the
approved reports of published projects (`ProgressReport.visible_to` asked for the public,
`official()`), the most recently approved first. A project the public may not see is a 404;
an agency or a district office is public knowledge, its feed empty until it has news.

Language: Thai, unless the feed's address asks for English with `?lang=en`. Not the headers:
a feed reader fetches on its subscriber's behalf, with its own Accept-Language and none of
their cookies, so the address they subscribed to says the language (the pages link to the
feed in the language they are read in). Entries give dates as the pages do (Buddhist Era in
Thai); the feed's own timestamps are ISO 8601, as Atom requires. A feed is read in two
queries (the subject, the entries) whatever the number of entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from tidtam.dashboards.filters import ProjectFilters
from tidtam.lib.language import current_language, name_of
from tidtam.opendata.tables import PUBLIC
from tidtam.orgs.models import Agency, AgencyKind
from tidtam.projects.access import get_project_for_user, projects_for_user
from tidtam.projects.models import Project
from tidtam.reporting.models import ProgressReport

FEED_ENTRIES = 50
LANGUAGES = ("th", "en")


def feed_language(request: HttpRequest) -> str:
    """The feed's language, from its address alone (see the module's docstring)."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else "th"


def feed_address(name: str, *args: Any, lang: str) -> str:
    """The address of a feed in a language: the pages link to it in the one they are read in."""
    url = reverse(name, args=args)
    return f"{url}?lang=en" if lang == "en" else url


def newly_approved(projects: QuerySet[Project]) -> list[ProgressReport]:
    """The public's approved reports of these projects, the most recently approved first
    (reports imported as approved, without an approval time, after them, newest first)."""
    return list(
        ProgressReport.objects.visible_to(PUBLIC)
        .official()
        .filter(project__in=projects.order_by().values("pk"))
        .select_related("project__agency")
        .order_by(F("reviewed_at").desc(nulls_last=True), "-report_date", "-pk")[:FEED_ENTRIES]
    )


def approved_moment(report: ProgressReport) -> datetime:
    """When the report became public: its approval, or for an imported report the start of its
    date in the city's time."""
    if report.reviewed_at is not None:
        return timezone.localtime(report.reviewed_at)
    return timezone.make_aware(datetime.combine(report.report_date, time()))


@dataclass(frozen=True)
class Subject:
    """What a feed follows: its name, its page, its own address and its projects."""

    name: str
    page: str
    address: str
    projects: QuerySet[Project]


class ApprovedReportsFeed(Feed[ProgressReport, Subject]):
    feed_type = Atom1Feed
    title_template = "opendata/feed_entry_title.html"
    description_template = "opendata/feed_entry.html"

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        lang = feed_language(request)
        with translation.override(lang):
            response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = lang
        return response

    def subject(self, request: HttpRequest, code: str) -> Subject:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Subject:
        return self.subject(request, kwargs["code"])

    def title(self, obj: Subject) -> str:
        return _("Approved progress reports: %(name)s") % {"name": obj.name}

    def subtitle(self, obj: Subject) -> str:
        return _(
            "Monthly progress reports of %(name)s as they are approved, from Tidtam, the city's "
            "project monitoring."
        ) % {"name": obj.name}

    def link(self, obj: Subject) -> str:
        return obj.page

    def feed_url(self, obj: Subject) -> str:
        return obj.address

    def author_name(self) -> str:
        return _("Tidtam project monitoring")

    def items(self, obj: Subject) -> list[ProgressReport]:
        return newly_approved(obj.projects)

    def item_link(self, item: ProgressReport) -> str:
        return reverse("report-detail", args=[item.pk])

    def item_pubdate(self, item: ProgressReport) -> datetime:
        return approved_moment(item)

    def item_updateddate(self, item: ProgressReport) -> datetime:
        return approved_moment(item)

    def item_categories(self, item: ProgressReport) -> list[str]:
        return [item.project.code, item.project.agency.code]


def _agency_name(agency: Agency) -> str:
    return name_of(agency, current_language())


class ProjectFeed(ApprovedReportsFeed):
    """The approved reports of one published project."""

    def subject(self, request: HttpRequest, code: str) -> Subject:
        project = get_project_for_user(PUBLIC, code)
        return Subject(
            name=f"{project.code} {project.name}",
            page=reverse("project-detail", args=[project.code]),
            address=feed_address("feed-project", project.code, lang=feed_language(request)),
            projects=Project.objects.filter(pk=project.pk),
        )


class AgencyFeed(ApprovedReportsFeed):
    """The approved reports of an agency's published projects, of every fiscal year."""

    def subject(self, request: HttpRequest, code: str) -> Subject:
        agency = get_object_or_404(Agency, code=code)
        filters = ProjectFilters(query="", fiscal_year=None, agency=agency.code)
        return Subject(
            name=_agency_name(agency),
            page=filters.url(),
            address=feed_address("feed-agency", agency.code, lang=feed_language(request)),
            projects=filters.apply(projects_for_user(PUBLIC)),
        )


class DistrictFeed(ApprovedReportsFeed):
    """The approved reports of a district office's published projects, as the project list's
    district filter chooses them."""

    def subject(self, request: HttpRequest, code: str) -> Subject:
        agency = get_object_or_404(Agency, code=code)
        if agency.kind != AgencyKind.DISTRICT_OFFICE:
            raise Http404("not a district office")
        filters = ProjectFilters(query="", fiscal_year=None, agency="", district=agency.code)
        return Subject(
            name=_agency_name(agency),
            page=filters.url(),
            address=feed_address("feed-district", agency.code, lang=feed_language(request)),
            projects=filters.apply(projects_for_user(PUBLIC)),
        )
