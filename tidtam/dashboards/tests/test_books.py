"""Report books: asked for on a page, made by the background worker, read back with poppler.

PDF text is read with pdftotext. The print layout spells SARA AM apart (NIKHAHIT + SARA AA,
lib.thai.spell_sara_am_apart) so that it extracts at all, so the extracted text is folded
back (`fold_thai`: SARA AM whole, single spaces) before Thai strings are looked for in it.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tidtam.dashboards import book_pdf
from tidtam.dashboards.books import (
    AGENCY_BOOK,
    KPI_REPORT,
    BookSpec,
    book_front,
    book_projects,
    find_subject,
    fingerprint,
    kpi_report,
    summary_projects,
)
from tidtam.indicators.models import (
    EvaluationCriterion,
    Kpi,
    KpiResult,
    KpiScore,
    KpiSupport,
    KpiType,
    ProjectEvaluation,
)
from tidtam.jobs.models import Job, JobState
from tidtam.lib.thai import fold_thai
from tidtam.orgs.models import Origin
from tidtam.projects.models import FiscalYear, Project
from tidtam.reporting.actions import approve_report
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.standing.models import ProjectStanding
from tidtam.standing.refresh import refresh_standings
from tidtam.strategy.models import Plan, PlanLevel, PlanNode
from tidtam.test import Personas, add_steps, link_to_plan, make_project

# Books are made by the job worker, run here in batch mode on the database queue.
pytestmark = pytest.mark.usefixtures("queued_tasks")

YEAR = 2563
PUBLISHED = "โครงการปรับปรุงภูมิทัศน์คลองแสนแสบ"
SECOND = "โครงการพัฒนาศูนย์เด็กเล็กในชุมชน"
HIDDEN = "โครงการลับยังไม่เผยแพร่"
OTHER = "โครงการของหน่วยงานอื่น"
APPROVED_TEXT = "ขุดลอกคลองแล้วเสร็จตามแผน"
DRAFT_TEXT = "ร่างรายงานที่ยังไม่อนุมัติ"
KPI_TEXT = "ร้อยละของคลองที่ได้รับการปรับปรุง"
STEP_TEXT = "ขั้นตอนที่ 1"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def report(project: Project, day: date, percent: int, status: str, text: str) -> ProgressReport:
    return ProgressReport.objects.create(
        project=project,
        report_date=day,
        percent=Decimal(percent),
        narrative=text,
        status=status,
        origin=Origin.MANUAL,
    )


def build_agency(personas: Personas, extra: int = 0) -> dict[str, Project]:
    """Agency A's year: two published projects (one with an approved and a draft report), an
    unpublished one, `extra` more published ones; and agency B's project."""
    a = personas.agency_a
    projects = {
        "pub": make_project(code="99990000-0001", name=PUBLISHED, agency=a, budget=Decimal(500000)),
        "second": make_project(code="99990000-0002", name=SECOND, agency=a),
        "hidden": make_project(code="99990000-0003", name=HIDDEN, agency=a, published=False),
        "other": make_project(code="99980000-0001", name=OTHER, agency=personas.agency_b),
    }
    for n in range(extra):
        projects[f"extra{n}"] = make_project(
            code=f"99990000-{100 + n:04d}", name=f"โครงการเพิ่มเติม {n}", agency=a
        )
    for project in projects.values():
        add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    report(projects["pub"], date(2020, 1, 28), 30, ReportStatus.APPROVED, APPROVED_TEXT)
    report(projects["pub"], date(2020, 2, 27), 45, ReportStatus.DRAFT, DRAFT_TEXT)
    report(projects["hidden"], date(2020, 1, 28), 20, ReportStatus.APPROVED, "รายงานโครงการลับ")
    kpi = Kpi.objects.create(
        code="K-1",
        fiscal_year=projects["pub"].fiscal_year,
        agency=a,
        text=KPI_TEXT,
        unit="ร้อยละ",
        target=Decimal(80),
        kpi_type=KpiType.STRATEGIC,
        origin=Origin.MANUAL,
    )
    KpiSupport.objects.create(kpi=kpi, project=projects["pub"])
    quarters = {q.number: q for q in projects["pub"].fiscal_year.quarters.all()}
    KpiResult.objects.create(
        kpi=kpi, quarter=quarters[1], result=Decimal("12.5"), status="approved"
    )
    KpiResult.objects.create(kpi=kpi, quarter=quarters[2], result=Decimal("77.25"), status="draft")
    criterion = EvaluationCriterion.objects.create(code="2.1", name_th="ผลสัมฤทธิ์")
    KpiScore.objects.create(kpi=kpi, quarter=quarters[1], criterion=criterion, score=Decimal(4))
    ProjectEvaluation.objects.create(
        project=projects["pub"], quarter=quarters[1], score=Decimal("3.5")
    )
    refresh_standings()
    return projects


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return fold_thai(done.stdout)


def pdf_info(path: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return dict(
        (key.strip(), value.strip())
        for key, _, value in (line.partition(":") for line in done.stdout.splitlines())
    )


def ask(client: Client, url: str, **data: str) -> Job:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def downloaded(client: Client, job: Job, tmp_path: Path) -> Path:
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.error
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / f"{job.pk}.pdf"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    return path


BOOK_URL = f"/books/agency/99990000/{YEAR}/"
KPI_URL = f"/books/kpis/99990000/{YEAR}/"


@pytest.mark.django_db(transaction=True)
def test_an_agency_book_has_a_cover_a_summary_and_a_section_per_project(
    personas: Personas, client: Client, worker: Callable[[], None], tmp_path: Path
) -> None:
    build_agency(personas)
    client.force_login(personas.evaluator)
    job = ask(client, BOOK_URL, quarter="1")
    worker()
    path = downloaded(client, job, tmp_path)
    info = pdf_info(path)
    assert "(A4)" in info["Page size"]
    text = pdf_text(path)
    # The cover: the agency, the fiscal year, the quarter with its Buddhist-Era dates.
    assert "สำนักทดสอบเอ" in text
    assert f"ปีงบประมาณ {YEAR}" in text
    assert "1 ต.ค. 2562" in text and "31 ธ.ค. 2562" in text
    # The summary lists every project of the agency the evaluator sees, not agency B's.
    summary = text[text.index("สรุปโครงการ") :]
    for code in ("99990000-0001", "99990000-0002", "99990000-0003"):
        assert code in summary
    assert OTHER not in text
    # One section per project: its code again (the summary's first), its whole name, its step,
    # its approved report and its date.
    for code, name in (("0001", PUBLISHED), ("0002", SECOND), ("0003", HIDDEN)):
        assert text.count(f"99990000-{code}") >= 2 and name in text
    assert text.count(STEP_TEXT) >= 3
    assert APPROVED_TEXT in text and "28 ม.ค. 2563" in text
    # The evaluator reads drafts, as on the project page.
    assert DRAFT_TEXT in text
    pages = int(info["Pages"])
    assert pages >= 5  # cover, summary, three sections
    assert f"หน้า {pages - 1}" in text  # the cover is page 0, unnumbered


@pytest.mark.django_db(transaction=True)
def test_a_reader_who_may_not_see_drafts_does_not_find_them_in_the_book(
    personas: Personas, client: Client, worker: Callable[[], None], tmp_path: Path
) -> None:
    build_agency(personas)
    client.force_login(personas.officer_b)
    job = ask(client, BOOK_URL)
    worker()
    text = pdf_text(downloaded(client, job, tmp_path))
    assert PUBLISHED in text and SECOND in text and APPROVED_TEXT in text
    assert HIDDEN not in text and "99990000-0003" not in text
    assert DRAFT_TEXT not in text and "รายงานโครงการลับ" not in text


@pytest.mark.django_db
def test_a_book_gives_each_project_in_brief_and_its_print_view_the_whole_record(
    personas: Personas, client: Client, tmp_path: Path
) -> None:
    """A book gives the reports as a table with the latest approved one (and any newer one) in
    full, and the indicators one line each; the project's print view keeps every narrative."""
    projects = build_agency(personas)
    older = "รายงานเดือนแรกของโครงการ"
    report(projects["pub"], date(2019, 12, 27), 10, ReportStatus.APPROVED, older)
    refresh_standings()
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=YEAR, agency="99990000")
    with translation.override("th"):
        book_pdf.write_book(spec, user=personas.evaluator, out=tmp_path / "book.pdf")
    text = pdf_text(tmp_path / "book.pdf")
    # Every report is a line of the table: the older one's date is there, not its narrative.
    assert "27 ธ.ค. 2562" in text and older not in text
    assert APPROVED_TEXT in text and DRAFT_TEXT in text
    assert "แต่ละโครงการแสดงโดยย่อ" in text  # the cover says so
    # The indicator on one line: its text, its first quarter's result and score.
    line = next(row for row in text.splitlines() if "K-1" in row)
    assert "12.50" in line and "80.00" in line
    client.force_login(personas.evaluator)
    whole = tmp_path / "project.pdf"
    whole.write_bytes(client.get("/projects/99990000-0001/print.pdf").content)
    whole_text = pdf_text(whole)
    assert older in whole_text and APPROVED_TEXT in whole_text


@pytest.mark.django_db(transaction=True)
def test_the_public_may_ask_for_a_book_of_published_projects(
    personas: Personas, client: Client, worker: Callable[[], None], tmp_path: Path
) -> None:
    build_agency(personas)
    job = ask(client, BOOK_URL)
    assert job.requested_by is None and job.session_key
    worker()
    text = pdf_text(downloaded(client, job, tmp_path))
    assert PUBLISHED in text and HIDDEN not in text and DRAFT_TEXT not in text


@pytest.mark.django_db(transaction=True)
def test_a_book_asked_twice_is_rendered_once_and_again_after_an_approval(
    personas: Personas,
    client: Client,
    worker: Callable[[], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    projects = build_agency(personas)
    renders: list[int] = []
    real = book_pdf.render_pdf  # type: ignore[attr-defined]

    def counted(html: str, **options: Any) -> bytes:
        renders.append(1)
        return real(html, **options)

    monkeypatch.setattr(book_pdf, "render_pdf", counted)
    client.force_login(personas.executive)
    first = ask(client, BOOK_URL)
    worker()
    made = len(renders)
    assert made >= 2  # the front, then the sections
    first_file = downloaded(client, first, tmp_path)

    # The same reader again: their own finished job.
    assert ask(client, BOOK_URL) == first
    # Another reader who sees the same: a job of their own, done at once, the same file.
    other = Client()
    other.force_login(personas.evaluator)
    shared = ask(other, BOOK_URL)
    assert shared != first and shared.state == JobState.DONE
    assert downloaded(other, shared, tmp_path).read_bytes() == first_file.read_bytes()
    worker()
    assert len(renders) == made

    # A report approved since: the data changed, the book is made again.
    submitted = report(
        projects["second"], date(2020, 1, 28), 25, ReportStatus.SUBMITTED, "ส่งรายงานแล้ว"
    )
    submitted.submitted_by = personas.officer_a
    submitted.save()
    # Submitted only: the executive reads it already, so the data they see changed too.
    again = ask(client, BOOK_URL)
    assert again != first
    worker()
    assert len(renders) == 2 * made
    approve_report(report=submitted, by=personas.approver_a)
    after = ask(client, BOOK_URL)
    assert after not in (first, again)
    worker()
    assert len(renders) == 3 * made
    assert "ส่งรายงานแล้ว" in pdf_text(downloaded(client, after, tmp_path))


@pytest.mark.django_db
def test_an_approval_changes_the_fingerprint_a_draft_does_not_for_the_public(
    personas: Personas,
) -> None:
    build_agency(personas)
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=YEAR, agency="99990000")
    today = timezone.localdate()

    def of(user: Any) -> str:
        return fingerprint(spec, user, lang="th", today=today, projects=book_projects(user, spec))

    public, executive = of(AnonymousUser()), of(personas.executive)
    assert public != executive  # the executive sees the unpublished project
    assert of(AnonymousUser()) == public
    draft = ProgressReport.objects.get(narrative=DRAFT_TEXT)
    draft.status = ReportStatus.SUBMITTED
    draft.submitted_by = personas.officer_a
    draft.save()
    # Another digit or language is another book.
    assert fingerprint(
        BookSpec(**(spec.parameters() | {"thai_digits": True})),
        personas.executive,
        lang="th",
        today=today,
        projects=book_projects(personas.executive, spec),
    ) != of(personas.executive)
    submitted_public = of(AnonymousUser())
    approve_report(report=draft, by=personas.approver_a)
    assert of(AnonymousUser()) != submitted_public


@pytest.mark.django_db
def test_the_books_data_is_read_in_a_fixed_number_of_queries(personas: Personas) -> None:
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=YEAR, agency="99990000", quarter=1)
    kpis = BookSpec(kind=KPI_REPORT, fiscal_year=YEAR, agency="99990000", quarter=2)
    build_agency(personas)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            user = personas.executive
            subject = find_subject(spec)
            projects = book_projects(user, spec)
            today = timezone.localdate()
            fingerprint(spec, user, lang="th", today=today, projects=projects)
            book_front(subject, user, summary_projects(projects), today=today)
            kpi_report(find_subject(kpis), user, today=today)
        return len(queries)

    count()  # the reader's access is read once, then kept on the user
    few = count()
    for n in range(8):
        project = make_project(
            code=f"99990000-{500 + n}", name=f"โครงการ {n}", agency=personas.agency_a
        )
        add_steps(project, ("100", "2019-10-01", "2020-09-30"))
        report(project, date(2020, 1, 28), 10, ReportStatus.APPROVED, "รายงาน")
        kpi = Kpi.objects.create(
            code=f"K-{10 + n}",
            fiscal_year_id=YEAR,
            agency=personas.agency_a,
            text="ตัวชี้วัด",
            kpi_type=KpiType.STRATEGIC,
            origin=Origin.MANUAL,
        )
        KpiSupport.objects.create(kpi=kpi, project=project)
    refresh_standings()
    assert count() == few


@pytest.mark.django_db
def test_a_books_query_count_does_not_grow_with_its_projects(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The front is read in a fixed number of queries (above), and so are the sections: every
    project's reports, contacts, links, KPIs with their results and scores, warnings, items,
    steps and instalments are read together (`projects_with_page_data`), whatever the number
    of projects and of parts."""
    monkeypatch.setattr(book_pdf, "render_pdf", lambda html, **options: b"")
    monkeypatch.setattr(book_pdf, "page_count", lambda path: 1)
    monkeypatch.setattr(book_pdf, "join_pdfs", lambda parts, out: None)
    monkeypatch.setattr(book_pdf, "PART_PROJECTS", 2)
    # Parts in this process: the queries are all made here either way, and spawned workers
    # would start Django and lay out real PDFs (the stubs above do not reach them).
    monkeypatch.setattr(book_pdf, "WORKERS", 1)
    build_agency(personas)
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=YEAR, agency="99990000")
    plan = Plan.objects.create(code="bma20", name_th="แผนพัฒนากรุงเทพมหานคร 20 ปี")
    level = PlanLevel.objects.create(plan=plan, depth=1, key="l1", name_th="ยุทธศาสตร์")
    node = PlanNode.objects.create(
        plan=plan,
        level=level,
        code="5",
        sort_key=PlanNode.sort_key_for("5"),
        name_th="ยุทธศาสตร์ที่ 5",
        origin=Origin.MANUAL,
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            book_pdf.write_book(spec, user=personas.officer_a, out=tmp_path / "book.pdf")
        return len(queries)

    def add(first: int) -> None:
        for n in range(first, first + 3):
            project = make_project(
                code=f"99990000-{600 + n}", name=f"โครงการ {n}", agency=personas.agency_a
            )
            add_steps(project, ("100", "2019-10-01", "2020-09-30"))
            report(project, date(2020, 1, 28), 10, ReportStatus.APPROVED, "รายงาน")
            kpi = Kpi.objects.create(
                code=f"K-{30 + n}",
                fiscal_year_id=YEAR,
                agency=personas.agency_a,
                text="ตัวชี้วัด",
                kpi_type=KpiType.STRATEGIC,
                origin=Origin.MANUAL,
            )
            KpiSupport.objects.create(kpi=kpi, project=project)
            link_to_plan(project, node)
        refresh_standings()

    def stale() -> int:
        """Before the day's refresh: every standing is computed for today, all at once."""
        ProjectStanding.objects.update(as_of=F("as_of") - timedelta(days=1))
        return count()

    count()  # the reader's access is read once, then kept on the user
    three, three_stale = count(), stale()
    add(0)
    six, six_stale = count(), stale()
    add(3)
    assert count() == six == three
    assert stale() == six_stale == three_stale


@pytest.mark.django_db
@pytest.mark.parametrize("workers", [1, 2])
def test_a_books_pages_are_numbered_on_across_its_parts(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workers: int
) -> None:
    """Parts laid out one after another, or side by side by two processes, each told where it
    starts: every page of the book bears its own number, the cover none."""
    monkeypatch.setattr(book_pdf, "PART_PROJECTS", 1)
    monkeypatch.setattr(book_pdf, "WORKERS", workers)
    build_agency(personas)
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=YEAR, agency="99990000")
    path = tmp_path / "book.pdf"
    book_pdf.write_book(spec, user=personas.executive, out=path)
    pages = int(pdf_info(path)["Pages"])
    assert pages >= 5  # cover, summary, three sections
    for page in range(1, pages + 1):
        done = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        # The number in the margin comes last in the page's text.
        numbers = re.findall(r"หน้า (\d+)", done.stdout)
        assert (numbers[-1:] if page > 1 else numbers) == ([] if page == 1 else [str(page - 1)])
    text = pdf_text(path)
    for name in (PUBLISHED, SECOND, HIDDEN):
        assert name in text


@pytest.mark.django_db
def test_no_id_is_given_twice_in_a_part_of_a_book(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Every project's headings are named apart: an id twice in one document is an error, and
    WeasyPrint warns about it ("Anchor defined twice")."""
    parts: list[str] = []

    def render(html: str, **options: object) -> bytes:
        parts.append(html)
        return b""

    monkeypatch.setattr(book_pdf, "render_pdf", render)
    monkeypatch.setattr(book_pdf, "page_count", lambda path: 1)
    monkeypatch.setattr(book_pdf, "join_pdfs", lambda parts, out: None)
    build_agency(personas)
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=YEAR, agency="99990000")
    book_pdf.write_book(spec, user=personas.executive, out=tmp_path / "book.pdf")
    sections = parts[1]
    assert sections.count("budget-h") >= 3 * 2  # three projects, id and aria-labelledby
    ids = re.findall(r'\bid="([^"]+)"', sections)
    assert len(ids) == len(set(ids))


@pytest.mark.django_db(transaction=True)
def test_the_job_counts_the_projects_it_has_rendered(
    personas: Personas,
    client: Client,
    worker: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_agency(personas, extra=2)
    monkeypatch.setattr(book_pdf, "PART_PROJECTS", 2)
    seen: list[tuple[int, int | None]] = []
    real = book_pdf.render_pdf  # type: ignore[attr-defined]

    shown: list[str] = []

    def watched(html: str, **options: Any) -> bytes:
        job = Job.objects.get()
        seen.append((job.done, job.total))
        shown.append(client.get(f"/jobs/{job.pk}/status/").content.decode())
        return real(html, **options)

    monkeypatch.setattr(book_pdf, "render_pdf", watched)
    # The parts rendered in this process, one after another (with workers, `render_pdf` runs
    # in theirs).
    monkeypatch.setattr(book_pdf, "WORKERS", 1)
    monkeypatch.setattr("tidtam.jobs.actions.WRITE_EVERY_SECONDS", 0)
    client.force_login(personas.approver_a)
    client.cookies["django_language"] = "en"
    job = ask(client, BOOK_URL)
    worker()
    job.refresh_from_db()
    # Five projects and the front: the front, then three parts of at most two projects.
    assert (job.done, job.total, job.percent) == (6, 6, 100)
    assert seen == [(0, 6), (1, 6), (3, 6), (5, 6)]
    # The job's page polls its progress bar: 3 of 6 is 50 percent.
    assert 'value="50"' in shown[2] and "3 of 6 parts of the book rendered" in shown[2]


@pytest.mark.django_db(transaction=True)
def test_the_kpi_report_shows_approved_results_to_outsiders_and_drafts_to_the_agency(
    personas: Personas, client: Client, worker: Callable[[], None], tmp_path: Path
) -> None:
    build_agency(personas)
    outsider = Client()
    outsider.force_login(personas.officer_b)
    job = ask(outsider, KPI_URL, quarter="2")
    client.force_login(personas.officer_a)
    own = ask(client, KPI_URL, quarter="2")
    worker()
    path = downloaded(outsider, job, tmp_path)
    assert "(A4)" in pdf_info(path)["Page size"]
    text = pdf_text(path)
    assert KPI_TEXT in text and "K-1" in text
    assert "12.50" in text and "80.00" in text
    assert "77.25" not in text
    assert "99990000-0001" in text  # the published project it supports
    text = pdf_text(downloaded(client, own, tmp_path))
    assert "77.25" in text and "ร่าง" in text


@pytest.mark.django_db(transaction=True)
def test_the_kpi_report_shows_the_evaluators_scores_of_the_quarter(
    personas: Personas, client: Client, worker: Callable[[], None], tmp_path: Path
) -> None:
    build_agency(personas)
    job = ask(client, KPI_URL, quarter="1")
    worker()
    text = pdf_text(downloaded(client, job, tmp_path))
    assert "2.1: 4.00" in text and "12.50" in text


@pytest.mark.django_db(transaction=True)
def test_a_plan_node_book_holds_the_projects_linked_below_the_node(
    personas: Personas, client: Client, worker: Callable[[], None], tmp_path: Path
) -> None:
    projects = build_agency(personas)
    plan = Plan.objects.create(code="bma20", name_th="แผนพัฒนากรุงเทพมหานคร 20 ปี")
    nodes: dict[str, PlanNode] = {}
    for depth, code in ((1, "5"), (2, "5.3"), (1, "6")):
        level = PlanLevel.objects.get_or_create(
            plan=plan, depth=depth, defaults={"key": f"l{depth}", "name_th": f"ระดับ{depth}"}
        )[0]
        nodes[code] = PlanNode.objects.create(
            plan=plan,
            level=level,
            parent=nodes.get(code.rpartition(".")[0]),
            code=code,
            sort_key=PlanNode.sort_key_for(code),
            name_th=f"ยุทธศาสตร์ที่ {code}",
            origin=Origin.MANUAL,
        )
    link_to_plan(projects["pub"], nodes["5.3"])
    link_to_plan(projects["other"], nodes["5"])
    link_to_plan(projects["second"], nodes["6"])
    job = ask(client, f"/books/plan/{nodes['5'].pk}/{YEAR}/")
    worker()
    text = pdf_text(downloaded(client, job, tmp_path))
    assert "ยุทธศาสตร์ที่ 5" in text
    assert PUBLISHED in text and OTHER in text and SECOND not in text


@pytest.mark.django_db
def test_the_book_page_refuses_bad_options_and_empty_books_with_a_reason(
    personas: Personas, client: Client
) -> None:
    build_agency(personas)
    client.cookies["django_language"] = "en"
    response = client.post(BOOK_URL, {"quarter": "9"})
    assert response.status_code == 200
    assert "Choose a quarter from 1 to 4." in response.content.decode()
    response = client.post(KPI_URL, {"quarter": ""})
    assert "Choose the quarter of the KPI report." in response.content.decode()
    response = client.post("/books/agency/99970000/2563/")
    assert response.status_code == 404
    client.force_login(personas.officer_b)
    make_project(
        code="99990000-0900",
        name="ปีอื่น",
        agency=personas.agency_a,
        published=False,
        fiscal_year=FiscalYear.ensure(2564),
    )
    response = client.post("/books/agency/99990000/2564/")
    assert response.status_code == 200
    assert "There is no project in this book that you may see" in response.content.decode()
    assert not Job.objects.exists()
    assert client.get("/books/agency/99990000/2599/").status_code == 404


@pytest.mark.django_db
def test_a_book_of_too_many_projects_is_refused_before_any_work(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_agency(personas)
    monkeypatch.setattr("tidtam.dashboards.books.MAX_PROJECTS", 2)
    client.force_login(personas.executive)
    client.cookies["django_language"] = "en"
    response = client.post(BOOK_URL)
    assert response.status_code == 200
    assert "This book would have 3 projects, more than the 2 a book may have." in (
        response.content.decode()
    )
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_filtered_lists_offer_the_books(personas: Personas, client: Client) -> None:
    build_agency(personas)
    text = client.get(f"/projects/?fy={YEAR}&agency=99990000").content.decode()
    assert f'href="/books/agency/99990000/{YEAR}/"' in text
    assert "/books/agency/" not in client.get(f"/projects/?fy={YEAR}").content.decode()
    text = client.get(f"/kpis/?fy={YEAR}&agency=99990000").content.decode()
    assert f'href="/books/kpis/99990000/{YEAR}/"' in text
    page = client.get(BOOK_URL).content.decode()
    assert "<form" in page and 'name="quarter"' in page
