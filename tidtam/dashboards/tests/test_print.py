"""The project print view and its PDF: the page's facts on A4, text that copies back intact.

The PDF's text is read back with poppler's pdftotext in -raw mode (the order the text is
drawn in). Its default mode orders characters by position, and puts a tone mark set over a
lower vowel after the next consonant ("อยู่ระหว่าง" → "อยูร่ ะหว่าง"): a reading-order guess of
poppler's, not a wrong character in the PDF.

SARA AM is written in PDFs as NIKHAHIT + SARA AA (`thai.spell_sara_am_apart`, see there for
why): "กำลัง" reads back as "กําลัง", which looks the same and which `fold_thai` (and so the
search) reads as "กำลัง". The tests expect exactly that spelling, through `as_drawn`.
"""

from __future__ import annotations

import html
import re
import subprocess
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pythainlp.tokenize import word_tokenize

from tidtam.accounts.models import Role
from tidtam.dashboards.tests.test_project_page import grow
from tidtam.legacy.load import import_paths
from tidtam.legacy.parse import parse_page
from tidtam.lib.thai import fold_thai, format_date, spell_sara_am_apart, to_thai_digits
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.standing.refresh import refresh_standings
from tidtam.test import (
    SEED_CODES,
    Personas,
    add_steps,
    make_member,
    make_project,
    seed_path,
)

SEED = "03000000-2457"
KPI_SEED = "21000000-3137"
A4 = "595.276 x 841.89 pts (A4)"
# Each page's body, inside the margins that hold the running title, the state of the data,
# the date printed and the page number (print.css: 20 mm above, 18 mm below).
BODY = ("-x", "0", "-y", "60", "-W", "596", "-H", "725")


@pytest.fixture
def seeds(db: None) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path(code) for code in SEED_CODES]).rejected == []


def poppler(tool: str, pdf: bytes, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "print.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [tool, *options, str(path), *(["-"] if tool == "pdftotext" else [])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_of(client: Client, code: str, query: str = "") -> bytes:
    response = client.get(f"/projects/{code}/print.pdf{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def as_drawn(text: str) -> str:
    """The text as the PDF's text layer spells it (SARA AM written apart)."""
    return spell_sara_am_apart(text)


def unwrapped(text: str) -> str:
    """Extracted text without its whitespace: a long text wraps over lines wherever the page
    width makes it, and Thai does not mark words with spaces anyway."""
    return re.sub(r"\s+", "", text)


def only_labels(line: str, labels: set[str]) -> bool:
    for label in sorted(labels, key=len, reverse=True):
        line = line.replace(label, "")
    return not line.strip()


@pytest.mark.usefixtures("seeds")
def test_the_seed_project_pdf_holds_its_thai_facts_intact_on_a4_pages(
    client: Client, tmp_path: Path
) -> None:
    page = parse_page(seed_path(SEED).read_text(encoding="utf-8"), source=SEED)
    pdf = pdf_of(client, SEED)  # the public's PDF

    text = poppler("pdftotext", pdf, tmp_path, "-raw")
    lines = set(text.splitlines())
    # Short facts, each on one line, exactly.
    exact = [
        page.code,
        *(c.name for c in page.contacts),
        *(format_date(r.report_date, style="medium", lang="th") for r in page.reports),
        *(format_date(s.start, style="medium", lang="th") for s in page.steps),
        "รายงานที่อนุมัติแล้วถึง 19 ก.พ. 2563",
        "ล่าช้ามาก",
        "ตามแผน",  # the chart's legend, drawn as text outside the SVG
        "ต.ค. 62",  # and its months
    ]
    missing = [fact for fact in exact if as_drawn(fact) not in text]
    assert missing == []
    assert as_drawn(page.name) in lines  # the heading, on a line of its own
    # Long texts wrap over lines: compared without whitespace.
    long = [
        page.rationale,
        *(s.text for s in page.steps),
        *(item.text for item in page.objectives + page.targets),
        *(r.narrative for r in page.reports),
    ]
    # The chart's labels are drawn after the text of their page (they are placed over the
    # chart): a text running on to the next page reads on without them.
    view = client.get(f"/projects/{SEED}/print/").content.decode()
    labels = set(re.findall(r'<span class="chart-label[^"]*">(.*?)</span>', view))
    body = poppler("pdftotext", pdf, tmp_path, "-raw", *BODY).splitlines()
    flat = unwrapped("".join(line for line in body if not only_labels(line, labels)))
    missing = [fact for fact in long if unwrapped(as_drawn(fact)) not in flat]
    assert missing == []
    # Nothing invisible leaks into the copied text, and it folds back to what was typed.
    assert not re.search("[\u200b\u2060]", text)
    assert page.name in fold_thai(text)

    info = poppler("pdfinfo", pdf, tmp_path, "-f", "1", "-l", "99")
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])  # type: ignore[index]
    assert pages >= 3
    assert re.findall(r"^Page\s+\d+ size:\s+(.*)$", info, re.M) == [A4] * pages
    # Every page is numbered, "หน้า X / Y".
    for n in range(1, pages + 1):
        assert f"หน้า {n} / {pages}" in text
    assert text.count("พิมพ์เมื่อ ") == pages


@pytest.mark.usefixtures("seeds")
def test_the_kpi_table_prints_the_kpi_text_and_its_quarters(client: Client, tmp_path: Path) -> None:
    page = parse_page(seed_path(KPI_SEED).read_text(encoding="utf-8"), source=KPI_SEED)
    text = poppler("pdftotext", pdf_of(client, KPI_SEED), tmp_path, "-raw")
    flat = unwrapped(text)
    assert page.kpis
    for kpi in page.kpis:
        assert kpi.code in text
        assert unwrapped(as_drawn(kpi.text)) in flat
        assert f"{kpi.target:.4f}" in text
    assert "ผลงานและผลประเมินตัวชี้วัดรายไตรมาส" in text
    assert "100 / 100" in text


@pytest.mark.usefixtures("seeds")
def test_the_pdf_follows_the_readers_language(client: Client, tmp_path: Path) -> None:
    client.cookies["django_language"] = "en"
    text = poppler("pdftotext", pdf_of(client, SEED), tmp_path, "-raw")
    assert "Approved reports up to 19 Feb 2020" in text
    assert "Page 1 / " in text
    assert "Printed on " in text
    assert "Planned" in text and "Oct 19" in text  # the chart's legend and months


@pytest.mark.usefixtures("seeds")
def test_thai_digits_are_an_option_of_the_print_view_and_the_pdf(
    client: Client, tmp_path: Path
) -> None:
    view = html.unescape(client.get(f"/projects/{SEED}/print/").content.decode())
    assert f'href="/projects/{SEED}/print/?digits=thai"' in view
    assert "2563" in view

    text = poppler("pdftotext", pdf_of(client, SEED, "?digits=thai"), tmp_path, "-raw")
    assert to_thai_digits("รายงานที่อนุมัติแล้วถึง 19 ก.พ. 2563") in text
    assert to_thai_digits(SEED) in text
    assert "หน้า ๑ / " in text  # the page numbers too
    assert not re.search("[0-9]", text.replace("PDF", ""))

    thai_view = client.get(f"/projects/{SEED}/print/?digits=thai").content.decode()
    assert "๒๕๖๓" in thai_view and f'href="/projects/{SEED}/print.pdf?digits=thai"' in thai_view


@pytest.mark.django_db
def test_a_draft_report_is_printed_for_its_agency_and_for_no_one_else(
    client: Client, personas: Personas, tmp_path: Path
) -> None:
    project = make_project(code="99990000-0001", agency=personas.agency_a)
    add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    for day, status, narrative in (
        (date(2019, 12, 31), ReportStatus.APPROVED, "ติดตั้งไฟส่องสว่างแล้วเสร็จ"),
        (date(2020, 1, 31), ReportStatus.DRAFT, "ร่างรายงานยังไม่ส่งตรวจ"),
    ):
        ProgressReport.objects.create(
            project=project,
            report_date=day,
            percent=Decimal(20),
            narrative=narrative,
            status=status,
            origin="manual",
        )
    refresh_standings()

    def printed(user: User | None) -> str:
        reader = Client()
        if user is not None:
            reader.force_login(user)
        pdf = pdf_of(reader, project.code)
        return poppler("pdftotext", pdf, tmp_path, "-raw")

    public = printed(None)
    assert "ติดตั้งไฟส่องสว่างแล้วเสร็จ" in public
    assert "ร่างรายงานยังไม่ส่งตรวจ" not in public
    assert "ร่างรายงานยังไม่ส่งตรวจ" not in printed(personas.officer_b)
    own = printed(personas.officer_a)
    assert "ร่างรายงานยังไม่ส่งตรวจ" in own
    assert "ร่าง" in own  # its state is printed beside it
    # The state of the data is the approved reports', for every reader.
    assert "รายงานที่อนุมัติแล้วถึง 31 ธ.ค. 2562" in own
    assert "รายงานที่อนุมัติแล้วถึง 31 ธ.ค. 2562" in public


@pytest.mark.django_db
def test_a_hidden_project_prints_nothing_for_the_public(client: Client) -> None:
    make_project(code="99990000-0002", published=False)
    assert client.get("/projects/99990000-0002/print/").status_code == 404
    assert client.get("/projects/99990000-0002/print.pdf").status_code == 404
    assert client.get("/projects/00000000-0000/print.pdf").status_code == 404
    client.force_login(make_member("reader", Role.EXECUTIVE))
    assert client.get("/projects/99990000-0002/print/").status_code == 200


@pytest.mark.django_db
def test_the_pdf_is_served_inline_under_the_project_code(client: Client) -> None:
    make_project(code="99990000-0003")
    response = client.get("/projects/99990000-0003/print.pdf")
    assert response["Content-Disposition"] == 'inline; filename="99990000-0003.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.usefixtures("seeds")
def test_the_print_views_chart_holds_no_text_inside_its_svg(client: Client) -> None:
    view = client.get(f"/projects/{SEED}/print/").content.decode()
    svg = view[view.index("<svg") : view.index("</svg>")]
    assert "<text" not in svg and 'class="planned"' in svg
    # Placed by classes of positions.css (no style attribute under the Content-Security-Policy).
    assert re.search(r'<span class="chart-label legend pl-\d+ pb-\d+">', view)
    # The web page draws the same chart with its texts inside.
    page = client.get(f"/projects/{SEED}/").content.decode()
    assert "<text" in page[page.index("<svg") : page.index("</svg>")]


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_print_query_count_does_not_grow_with_reports_steps_and_kpis(client: Client) -> None:
    grow("11110000-0001", reports=1, steps=1, kpis=1)
    grow("22220000-0001", reports=12, steps=15, kpis=5)
    refresh_standings()
    for url in ("/projects/{}/print/", "/projects/{}/print.pdf"):
        small = count_queries(client, url.format("11110000-0001"))
        large = count_queries(client, url.format("22220000-0001"))
        assert small == large
        assert large <= 15


def test_no_line_of_a_narrow_cell_ends_inside_a_thai_word(
    db: None, client: Client, tmp_path: Path
) -> None:
    narrative = (
        "ประชุมคณะกรรมการติดตามประเมินผลโครงการพัฒนาระบบงานของสำนักงานเขตในพื้นที่"
        "กรุงเทพมหานครร่วมกับสำนักงบประมาณกรุงเทพมหานครเพื่อพิจารณาแนวทางการดำเนินงาน"
        "และรายงานผู้บริหารกรุงเทพมหานครทราบเป็นระยะอย่างต่อเนื่อง"
    )
    project = make_project(code="99990000-0004")
    (step,) = add_steps(project, ("100", "2019-10-01", "2020-09-30"))
    step.text = narrative
    step.save()
    refresh_standings()
    text = poppler("pdftotext", pdf_of(client, project.code), tmp_path, "-raw")
    # The step's description cell is narrow: the text wraps over several lines.
    start = text.index(as_drawn(narrative[:10]))
    lines = text[start:].splitlines()
    wrapped = []
    for line in lines:
        wrapped.append(line)
        if unwrapped(as_drawn(narrative)) == "".join(wrapped):
            break
    assert len(wrapped) >= 3
    # Every line ends where PyThaiNLP sees a word end in the whole text.
    ends, at = set(), 0
    for word in word_tokenize(fold_thai("".join(wrapped)), engine="newmm"):
        at += len(word)
        ends.add(at)
    at = 0
    for line in wrapped[:-1]:
        at += len(fold_thai(line))
        assert at in ends, f"a line ends inside a word: …{line[-12:]}|"


@pytest.mark.usefixtures("seeds")
def test_the_project_pages_print_link_opens_the_print_view(client: Client) -> None:
    page = client.get(f"/projects/{SEED}/").content.decode()
    assert f'href="/projects/{SEED}/print/"' in page
    assert "onclick" not in page and "window.print" not in page


@pytest.mark.usefixtures("seeds")
def test_each_fact_of_the_project_page_keeps_its_label_on_paper(client: Client) -> None:
    """The browser-printed page hid the Annual plan row's value only: its label then sat
    beside the evaluation score, which floated unlabelled on the next line."""
    page = client.get(f"/projects/{SEED}/").content.decode()
    facts = page[page.index('<dl class="facts">') : page.index("</dl>")]
    rows = re.findall(
        r"<div( class=\"[^\"]*\")?>\s*<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd></div>", facts, re.S
    )
    assert [label for _, label, _ in rows] == [
        "ผู้รับผิดชอบ",
        "แผนปฏิบัติราชการประจำปี",
        "สยป. ประเมินโครงการ",
    ]
    # Label and value share one row, and paper hides the whole Annual plan row.
    assert facts.count("<dt>") == len(rows) == facts.count("<dd")
    hidden = {label for cls, label, _ in rows if "no-print" in cls}
    assert hidden == {"แผนปฏิบัติราชการประจำปี"}
    assert "ไตรมาสที่ 4" in rows[2][2]
    css = Path("static/css/tidtam.css").read_text(encoding="utf-8")
    # The pair joins the page's grid, in a rule weaker than .no-print's on paper.
    assert ":where(dl.facts) > div { display: contents; }" in css
    print_rule = re.search(r"@media print \{[^}]*\.no-print[^}]*display: none", css)
    assert print_rule is not None
