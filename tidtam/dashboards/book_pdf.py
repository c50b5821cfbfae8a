"""Report books as PDF files, made by the "book" background job.

An agency's or a plan node's book is a cover and a summary table, then one section per project:
the project's printed body in brief (`print/_project.html` with `brief`, built by
`build_project_print`, the same as the project's own print view and PDF, which give the whole
record): the reports as a table with the latest approved one (and any newer) in full, the
indicators one line each, the plan as its table without the timeline, about three pages a
project. A book of a few hundred projects runs to several hundred pages, more than WeasyPrint
should lay out at once (its memory grows with the pages it holds): it is rendered in parts of
PART_PROJECTS projects, the cover and summary the first, each part's page numbers continuing
the previous part's, and the parts' files joined by poppler's pdfunite (installed with the
other PDF tools by scripts/ensure-pdf-libs.sh). WORKERS processes lay the parts out side by
side (lib.pdf_parts), each told where its part starts once the parts before it are laid out,
while this process writes the next parts' HTML. The job's progress counts the projects
rendered. Every section's data is read at once, before the first part
(`projects_with_page_data`): the book's queries do not grow with its projects.

Where the time goes (300 projects, 856 pages, about 150 s of processor time, 78 s on two
cores): WeasyPrint, almost all of it (layout about half, styles a fifth, drawing and writing a
sixth), about 0.5 s a project; the queries and templates, Thai word segmentation included, a
few percent. The full section (every narrative, the timeline, a table per indicator) took
twice as long: about 0.9 s a project.

A book for the same data is made once: `request_book` looks for a finished book with the same
fingerprint (dashboards.books) and shares its file.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from tidtam.dashboards import books
from tidtam.dashboards.books import (
    KPI_REPORT,
    NO_KPIS,
    NO_PROJECTS,
    TOO_MANY,
    BookFront,
    BookRefused,
    BookSpec,
    BookSubject,
    book_front,
    book_kpis,
    book_projects,
    find_subject,
    fingerprint,
    kpi_fingerprint,
    kpi_report,
    summary_projects,
)
from tidtam.dashboards.printing import PrintOptions, build_project_print
from tidtam.dashboards.project_page import give_kpi_figures, projects_with_page_data
from tidtam.jobs.actions import JobFailed, Progress, job_kind, result_file, start_job_once
from tidtam.jobs.models import Job
from tidtam.lib.language import current_language
from tidtam.lib.pdf import render_pdf
from tidtam.lib.pdf_parts import render_side_by_side
from tidtam.projects.models import Project
from tidtam.standing.present import give_todays_standings

JOB_KIND = "book"
CONTENT_TYPE = "application/pdf"
# Projects rendered as one WeasyPrint document: a few dozen pages, laid out in a few seconds
# and a hundred or two megabytes.
PART_PROJECTS = 15
# Processes laying parts out at the same time (the machine's two cores): each holds one part.
WORKERS = 2


@dataclass(frozen=True)
class BookRequest:
    """A book as a page offers it: its subject, what it would hold, and its fingerprint."""

    subject: BookSubject
    count: int  # projects (KPIs) the reader would find in it
    fingerprint: str


def prepare_book(spec: BookSpec, user: object) -> BookRequest:
    """The book `user` would get for `spec`: a 404 for an unknown subject; refused with a
    reason (`BookRefused`) when it would hold nothing or too much; else its count and its
    fingerprint, in a fixed number of queries."""
    subject = find_subject(spec)
    today = timezone.localdate()
    lang = current_language()
    if spec.kind == KPI_REPORT:
        kpis = book_kpis(user, spec)
        count = kpis.count()
        if not count:
            raise BookRefused(NO_KPIS, year=spec.fiscal_year)
        return BookRequest(
            subject, count, kpi_fingerprint(spec, user, lang=lang, today=today, kpis=kpis)
        )
    projects = book_projects(user, spec)
    count = projects.count()
    if not count:
        raise BookRefused(NO_PROJECTS, year=spec.fiscal_year)
    if count > books.MAX_PROJECTS:
        raise BookRefused(TOO_MANY, count=count, most=books.MAX_PROJECTS)
    return BookRequest(
        subject, count, fingerprint(spec, user, lang=lang, today=today, projects=projects)
    )


def request_book(book: BookRequest, request: HttpRequest) -> Job:
    """The requester's job for this book: their own or another reader's finished one with the
    same fingerprint shared (no work redone), or a new one."""
    return start_job_once(
        kind=JOB_KIND,
        title=book.subject.title,
        parameters=book.subject.spec.parameters(),
        fingerprint=book.fingerprint,
        suffix=".pdf",
        request=request,
    )


def _sections(user: object, keys: list[int]) -> list[Project]:
    """The book's projects in its order, with everything their sections read, in a fixed
    number of queries whatever their number (`projects_with_page_data`). A few hundred
    projects' reports, steps and KPIs are a few tens of megabytes: far less than the layout
    of one part."""
    found = projects_with_page_data(Project.objects.all(), user).in_bulk(keys)
    projects = [found[key] for key in keys if key in found]
    give_kpi_figures(projects)
    give_todays_standings(projects)
    return projects


def _parts(projects: list[Project]) -> Iterator[list[Project]]:
    for start in range(0, len(projects), PART_PROJECTS):
        yield projects[start : start + PART_PROJECTS]


def _render_parts(htmls: Iterator[str], *, count: int, folder: Path) -> Iterator[Path]:
    """Render the `count` parts into `folder`, yielding each part's file in order as it is
    done, each part's pages numbered on from the parts before it (the first from 0: the cover).

    With WORKERS processes the parts are laid out side by side: a worker lays its part out,
    reports its page count and waits to be told where it starts (`render_pdf`'s page_offset),
    which it is as soon as the parts before it are laid out; meanwhile the next part is laid
    out by the other worker, and this process writes the HTML of the parts after. One part at
    a time in this process when WORKERS is 1 or there are two (the front and one part of
    projects: starting the workers would take longer than the second part)."""
    if WORKERS <= 1 or count <= 2:
        first_page = 0
        for n, html in enumerate(htmls, 1):
            path = folder / f"part-{n}.pdf"
            path.write_bytes(render_pdf(html, page_offset=partial(_starting_at, first_page)))
            first_page += page_count(path)
            yield path
        return
    yield from render_side_by_side(htmls, count=count, first_page=0, folder=folder, workers=WORKERS)


def _starting_at(start: int, pages: int) -> int:
    return start


def page_count(path: Path) -> int:
    """The pages of a PDF file, as poppler's pdfinfo reads them."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    for line in info.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ValueError(f"pdfinfo found no page count in {path}")


def join_pdfs(parts: list[Path], out: Path) -> None:
    if len(parts) == 1:
        parts[0].replace(out)
        return
    subprocess.run(["pdfunite", *map(str, parts), str(out)], check=True, capture_output=True)


def write_book(
    spec: BookSpec, *, user: object, out: Path, progress: Progress | None = None
) -> BookFront:
    """Render the agency's or plan node's book `user` may see to `out`, in the current
    language: what the book job runs (and the benchmark times)."""
    subject = find_subject(spec)
    projects = book_projects(user, spec)
    rows = summary_projects(projects)
    if not rows:
        raise BookRefused(NO_PROJECTS, year=spec.fiscal_year)
    if progress is not None:
        progress.total(len(rows) + 1)
    options = PrintOptions(printed_at=timezone.now(), thai_digits=spec.thai_digits)
    front = book_front(subject, user, rows, today=timezone.localdate())
    context: dict[str, Any] = {"front": front, "options": options, "pdf": True, "first_page": 0}
    parts = list(_parts(_sections(user, [p.pk for p in rows])))
    # The cover and summary are the first part, laid out beside the projects' parts.
    sizes = [1, *map(len, parts)]
    htmls = chain(
        [render_to_string("print/book.html", context)],
        (
            render_to_string(
                "print/book_sections.html",
                context | {"sections": [build_project_print(project, user) for project in part]},
            )
            for part in parts
        ),
    )
    with tempfile.TemporaryDirectory(prefix="tidtam-book-") as folder:
        files = []
        done = _render_parts(htmls, count=len(sizes), folder=Path(folder))
        for path, size in zip(done, sizes, strict=True):
            files.append(path)
            if progress is not None:
                progress.advance(size)
        join_pdfs(files, out)
    return front


def write_kpi_report(spec: BookSpec, *, user: object, out: Path) -> None:
    """Render the agency's quarterly KPI report `user` may see to `out`."""
    subject = find_subject(spec)
    report = kpi_report(subject, user, today=timezone.localdate())
    if not report.lines:
        raise BookRefused(NO_KPIS, year=spec.fiscal_year)
    options = PrintOptions(printed_at=timezone.now(), thai_digits=spec.thai_digits)
    html = render_to_string(
        "print/kpi_report.html", {"report": report, "options": options, "pdf": True}
    )
    out.write_bytes(render_pdf(html))


@job_kind(JOB_KIND)
def run_book_job(job: Job, progress: Progress) -> tuple[Path, str, str]:
    """The "book" job kind: the book its parameters name, as its requester may see it."""
    spec = BookSpec.of(job.parameters)
    user = job.requested_by or AnonymousUser()
    subject = find_subject(spec)
    path = result_file(job, ".pdf")
    try:
        if spec.kind == KPI_REPORT:
            progress.total(1)
            write_kpi_report(spec, user=user, out=path)
        else:
            write_book(spec, user=user, out=path, progress=progress)
    except BookRefused as refused:
        raise JobFailed(refused.message, **refused.values) from refused
    return path, subject.filename, CONTENT_TYPE
