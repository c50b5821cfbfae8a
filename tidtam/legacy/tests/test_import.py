"""Importing legacy pages: every fact of both seeds, idempotence, rejections that write nothing,
pages laid out otherwise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils.translation import override

from tidtam.indicators.models import Kpi, KpiDirection, KpiResult, KpiScore, ProjectEvaluation
from tidtam.indicators.tests.factories import make_kpi
from tidtam.legacy.load import import_paths
from tidtam.legacy.parse import LAYOUT_CODES
from tidtam.legacy.tests.layouts import HEADINGS, render, split
from tidtam.orgs.models import Agency, Origin, Person, Unit
from tidtam.projects.models import DataWarning, PlanStep, Project
from tidtam.reporting.models import ProgressReport, ReportStatus
from tidtam.strategy.models import PlanNode
from tidtam.test import make_agency, seed_path

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "legacy"
NIKHAHIT_SARA_AA = "\u0e4d\u0e32"


def row_counts() -> dict[str, int]:
    """How many rows every Tidtam table (history included) holds."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"orgs", "strategy", "projects", "reporting", "indicators"}
    }


@pytest.fixture
def reference(db: None) -> None:
    call_command("load_reference", stdout=StringIO())


def import_seed(code: str) -> Project:
    summary = import_paths([seed_path(code)])
    assert summary.rejected == []
    return Project.objects.get(code=code)


@pytest.mark.usefixtures("reference")
def test_seed_2457_is_imported_with_every_fact() -> None:
    project = import_seed("03000000-2457")
    assert project.name == "โครงการพัฒนาระบบงานและโครงสร้างสำนักงานเขต"
    assert project.agency.code == "03000000"
    assert project.agency.origin == Origin.REFERENCE
    # The page spells สำนัก with NIKHAHIT + SARA AA: kept as printed on the project.
    assert project.agency_name_source.startswith("ส" + NIKHAHIT_SARA_AA + "นักงาน")
    assert project.fiscal_year_id == 2563
    assert project.owning_unit is not None and project.reporting_unit is not None
    assert (project.owning_unit.code, project.reporting_unit.code) == ("03060400", "03060400")
    assert project.rationale.startswith("กรุงเทพมหานครได้กำหนดวิสัยทัศน์")
    assert project.published and project.origin == Origin.IMPORT
    objectives = list(project.items.filter(kind="objective"))
    assert [i.label for i in objectives] == ["1", "2"]
    assert objectives[0].text.startswith("ศึกษา วิเคราะห์")
    targets = list(project.items.filter(kind="target"))
    assert [i.label for i in targets] == ["1", "2"]
    assert "1) กลุ่มเป้าหมาย" in targets[1].text
    [contact] = project.contacts.select_related("person")
    assert (contact.person.name, contact.person.phone) == ("น.ส.นฤมล ไวว่อง", "1460")

    evaluation = ProjectEvaluation.objects.get(project=project)
    assert (evaluation.quarter.number, evaluation.score) == (4, Decimal("0"))

    links = list(project.plan_links.select_related("node__level"))
    assert [link.node.code for link in links] == ["5", "5.3", "5.3.1", "5.3.1.2"]
    assert [link.node.level.key for link in links] == [
        "dimension",
        "sub_dimension",
        "goal",
        "objective",
    ]
    assert links[0].node.name_en == "Bangkok as a Democratic City"
    assert links[2].source_text.endswith("กำหนดนโ%")
    assert "ท?ากิจการ" in links[3].source_text

    reports = list(project.reports.newest_first())
    assert [(r.report_date, r.percent) for r in reports] == [
        (date(2020, 2, 19), Decimal("30.00")),
        (date(2020, 1, 20), Decimal("10.00")),
        (date(2019, 12, 19), Decimal("5.00")),
        (date(2019, 11, 19), Decimal("3.00")),
        (date(2019, 10, 19), Decimal("1.00")),
    ]
    assert all(r.status == ReportStatus.APPROVED for r in reports)
    assert reports[0].narrative_date == date(2020, 2, 19)
    assert "กท 0303/216" in reports[0].narrative
    assert "เงินประจำงวด" in reports[2].narrative
    assert all(r.problems == "" and r.obstacles == "" for r in reports)

    steps = list(project.steps.all())
    assert [s.weight for s in steps] == [Decimal(w) for w in (10, 10, 40, 10, 20, 5, 5)]
    assert [(s.start, s.end) for s in steps][:3] == [
        (date(2019, 11, 1), date(2019, 11, 1)),
        (date(2019, 12, 1), date(2019, 12, 1)),
        (date(2020, 1, 1), date(2020, 1, 1)),
    ]
    assert steps[-1].text == "ติดตามประเมินผล และรายงานผู้บริหาร"
    assert project.planned_progress(on=date(2020, 2, 19)) == Decimal("60.00")

    [kpi] = project.kpis.all()
    assert kpi.code == "0300-0760"
    assert kpi.text.startswith("ร้อยละของบริการสาธารณะ")
    assert (kpi.unit, kpi.target, kpi.achieved) == ("ร้อยละ", Decimal(100), Decimal(0))
    assert (kpi.kpi_type, kpi.level) == ("strategic", "outcome")
    results = {r.quarter.number: r.result for r in kpi.results.select_related("quarter")}
    assert results == {1: 0, 2: 0, 3: 0, 4: 0}
    scores = {
        (s.quarter.number, s.criterion.code): s.score
        for s in kpi.scores.select_related("quarter", "criterion")
    }
    assert scores[(1, "2.1")] == scores[(1, "2.2")] == Decimal(100)
    assert scores[(2, "2.1")] == scores[(4, "2.2")] == Decimal(0)
    assert len(scores) == 8

    warnings = set(DataWarning.objects.filter(project=project).values_list("code", flat=True))
    assert {"trailing_percent", "question_mark_in_word", "sara_am_split"} <= warnings


@pytest.mark.usefixtures("reference")
def test_seed_3137_is_imported_with_every_fact() -> None:
    project = import_seed("21000000-3137")
    assert project.name.startswith("โครงการรับฟังความคิดเห็นของประชาชน")
    assert project.agency.code == "21000000"
    assert project.fiscal_year_id == 2563
    assert project.owning_unit is not None
    assert project.owning_unit.code == "21020100"
    assert [i.label for i in project.items.filter(kind="objective")] == ["2.1", "2.2"]
    assert [i.label for i in project.items.filter(kind="target")] == ["3.1", "3.2", "3.3"]
    [contact] = project.contacts.select_related("person")
    assert (contact.person.name, contact.person.phone) == ("นางสาวปริณดา มีฉล่าด", "1544")
    evaluation = ProjectEvaluation.objects.get(project=project)
    assert (evaluation.quarter.number, evaluation.score) == (1, Decimal(100))
    assert [link.node.code for link in project.plan_links.all()] == [
        "5",
        "5.2",
        "5.2.1",
        "5.2.1.1",
    ]
    reports = list(project.reports.newest_first())
    assert [r.percent for r in reports] == [Decimal(p) for p in (45, 40, 15, 10, 5)]
    assert [r.report_date for r in reports] == [
        date(2020, 3, 23),
        date(2020, 2, 24),
        date(2019, 12, 26),
        date(2019, 11, 25),
        date(2019, 10, 22),
    ]
    assert reports[0].problems.startswith("ด้วยสถานการณ์การแพร่ระบาด")
    assert reports[2].problems.startswith("รอเงินงวด")
    assert reports[3].problems.startswith("มีการปรับแผนการใช้จ่ายเงิน")
    assert reports[1].problems == "" and reports[0].obstacles == ""
    steps = list(project.steps.all())
    assert len(steps) == 10 and sum(s.weight for s in steps) == 100
    assert (steps[0].start, steps[0].end) == (date(2019, 10, 1), date(2019, 10, 31))
    assert (steps[2].start, steps[2].end) == (date(2019, 12, 16), date(2020, 1, 14))
    assert (steps[9].start, steps[9].end) == (date(2020, 9, 1), date(2020, 9, 30))
    [kpi] = project.kpis.all()
    assert (kpi.code, kpi.target, kpi.achieved, kpi.level) == (
        "2100-1037",
        Decimal(80),
        Decimal(0),
        "output",
    )
    results = {r.quarter.number: r.result for r in kpi.results.select_related("quarter")}
    assert results[1] == Decimal("20.00") and results[2] == 0
    scores = {
        (s.quarter.number, s.criterion.code): s.score
        for s in kpi.scores.select_related("quarter", "criterion")
    }
    assert scores[(2, "2.1")] == scores[(2, "2.2")] == Decimal(100)
    assert scores[(3, "2.1")] == 0


@pytest.mark.usefixtures("reference")
def test_importing_the_same_pages_again_changes_nothing() -> None:
    paths = [seed_path("03000000-2457"), seed_path("21000000-3137")]
    first = import_paths(paths)
    assert len(first.created) == 2
    before = row_counts()
    again = import_paths(paths)
    assert again.created == [] and sorted(again.updated) == sorted(first.created)
    assert row_counts() == before  # no duplicate rows, and no history rows for non-changes


@pytest.mark.usefixtures("reference")
def test_a_changed_page_updates_the_project_in_place(tmp_path: Path) -> None:
    source = seed_path("03000000-2457").read_text(encoding="utf-8")
    import_seed("03000000-2457")
    changed = tmp_path / "changed.txt"
    changed.write_text(
        source.replace(":40%", ":35%").replace(":5%\nเริ่มต้น :2020-07-01", ":10%\nเริ่มต้น :2020-07-01"),
        encoding="utf-8",
    )
    summary = import_paths([changed])
    assert summary.updated == ["03000000-2457"]
    project = Project.objects.get(code="03000000-2457")
    assert PlanStep.objects.filter(project=project).count() == 7
    assert project.steps.get(order=3).weight == Decimal(35)
    step_history = PlanStep.history.filter(project_id=project.pk, order=3)
    assert step_history.count() == 2
    assert step_history.latest().history_change_reason == "legacy import: changed.txt"


@pytest.mark.usefixtures("reference")
def test_a_page_of_an_unknown_agency_and_plan_node_creates_them_marked_as_imported(
    tmp_path: Path,
) -> None:
    source = seed_path("21000000-3137").read_text(encoding="utf-8")
    page = tmp_path / "new.txt"
    page.write_text(
        source.replace("21000000-3137", "77770000-0001").replace("๕.๒.๑.๑", "๕.๒.๑.๙"),
        encoding="utf-8",
    )
    summary = import_paths([page])
    assert summary.created == ["77770000-0001"]
    agency = Agency.objects.get(code="77770000")
    assert agency.origin == Origin.IMPORT
    assert agency.name_th.endswith("ประเมินผล")
    node = PlanNode.objects.get(code="5.2.1.9")
    assert node.origin == Origin.IMPORT
    assert node.parent is not None and node.parent.code == "5.2.1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "field", "words"),
    [
        ("not_a_project.txt", "code", "โครงการ"),
        ("cut_off.txt", "steps", "แผนการดำเนินงาน"),
    ],
)
def test_a_rejected_file_writes_nothing_and_names_file_line_and_what_is_missing(
    fixture: str, field: str, words: str
) -> None:
    call_command("load_reference", stdout=StringIO())
    before = row_counts()
    summary = import_paths([FIXTURES / fixture])
    assert row_counts() == before
    [rejection] = summary.rejected
    assert rejection.path.endswith(fixture)
    assert rejection.field == field
    assert rejection.line is not None and rejection.line >= 1
    assert words in rejection.message
    assert fixture in str(rejection)


@pytest.mark.usefixtures("reference")
def test_the_command_goes_on_after_a_rejected_file_and_exits_non_zero() -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_legacy",
            str(FIXTURES / "cut_off.txt"),
            str(seed_path("03000000-2457")),
            stdout=out,
            stderr=err,
        )
    assert raised.value.returncode == 1
    assert "files read 2, projects created 1, updated 0, rejected 1" in out.getvalue()
    assert "cut_off.txt" in err.getvalue()
    assert Project.objects.filter(code="03000000-2457").exists()


@pytest.mark.usefixtures("reference")
def test_the_command_imports_a_folder_and_prints_a_summary() -> None:
    out = StringIO()
    call_command("import_legacy", str(SAMPLES), stdout=out)
    pages = sorted(SAMPLES.glob("*.txt"))
    assert len(pages) >= 3
    assert f"files read {len(pages)}, projects created {len(pages)}" in out.getvalue()
    assert "rejected 0" in out.getvalue()
    assert Person.objects.exists() and Kpi.objects.exists()
    assert KpiResult.objects.exists() and KpiScore.objects.exists()


@pytest.mark.django_db
def test_a_missing_path_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="not found"):
        call_command("import_legacy", "/no/such/file.txt", stdout=StringIO())


@pytest.mark.usefixtures("reference")
def test_an_imported_report_is_audited_with_the_file_as_reason() -> None:
    project = import_seed("03000000-2457")
    record = ProgressReport.history.filter(project_id=project.pk).first()
    assert record is not None
    assert record.history_type == "+"
    assert record.history_change_reason.startswith("legacy import: ")
    assert Project.history.filter(code=project.code).count() == 1


@pytest.mark.usefixtures("reference")
def test_a_page_failing_while_written_leaves_nothing_and_the_rest_of_its_batch_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import DatabaseError

    from tidtam.projects import actions as project_actions

    real = project_actions.set_steps

    def failing(*, project: Project, **kwargs: object) -> object:
        if project.code == "11000000-0215":
            raise DatabaseError("disk I/O error")
        return real(project=project, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(project_actions, "set_steps", failing)
    before = row_counts()
    summary = import_paths(sorted(SAMPLES.glob("*.txt")))
    assert [r.field for r in summary.rejected] == ["database"]
    assert summary.rejected[0].path.endswith("11000000-0215.txt")
    assert not Project.objects.filter(code="11000000-0215").exists()
    assert Project.objects.count() == 3
    assert Project.history.count() == 3
    assert row_counts()["projects.HistoricalPlanStep"] > before["projects.HistoricalPlanStep"]


@pytest.mark.usefixtures("reference")
def test_importing_a_page_again_never_overwrites_a_report_entered_in_tidtam() -> None:
    project = import_seed("03000000-2457")
    latest = project.reports.order_by("-report_date").first()
    assert latest is not None
    latest.origin = Origin.MANUAL
    latest.percent = Decimal("35")
    latest.narrative = "รายงานที่กรอกในติดตาม"
    latest.save()
    summary = import_paths([seed_path("03000000-2457")])
    assert summary.rejected == []
    latest.refresh_from_db()
    assert (latest.percent, latest.narrative) == (Decimal("35"), "รายงานที่กรอกในติดตาม")


# --- pages laid out otherwise ----------------------------------------------------------------


def rearranged(code: str) -> str:
    """The seed with every heading printed before each item and its sections in reverse."""
    page = split(seed_path(code).read_text(encoding="utf-8"))
    lines = list(page.header)
    for section in [*reversed(page.sections), page.closing]:
        lines += render(section, before_items=True, doubled=False, gap="")
    return "\n".join(lines)


@pytest.mark.usefixtures("reference")
def test_a_rearranged_page_is_the_same_project_and_its_report_names_file_line_and_change(
    tmp_path: Path,
) -> None:
    seed = seed_path("03000000-2457")
    copy = tmp_path / seed.name  # the same file name: the project's source stays the same
    copy.write_text(rearranged("03000000-2457"), encoding="utf-8")
    out = StringIO()
    call_command("import_legacy", str(copy), stdout=out)
    project = Project.objects.get(code="03000000-2457")
    layout = DataWarning.objects.filter(project=project, code__in=LAYOUT_CODES)
    lines = copy.read_text(encoding="utf-8").split("\n")
    # Its rationale, strategy, reports and steps have more than one item; it has one KPI.
    assert {w.field for w in layout} == {"rationale", "strategy", "reports", "steps", "sections"}
    for warning in layout:
        assert warning.source_line is not None
        assert lines[warning.source_line - 1] in HEADINGS
        assert warning.message.startswith(("หัวข้อ", "หน้านี้"))
        assert " / This section" in warning.message or " / The page lists" in warning.message
    reordered = layout.get(code="sections_reordered")
    report = out.getvalue()
    assert f"{copy}:{reordered.source_line}: [sections]" in report
    assert "สนับสนุนตัวชี้วัดตามแผนฯ → แผนการดำเนินงานฯ" in report
    steps = layout.get(field="steps")
    assert f"{copy}:{steps.source_line}: [steps]" in report and "แผนการดำเนินงานฯ: " in report

    steps_before = list(project.steps.values_list("order", "text", "weight", "start", "end"))
    before = row_counts()
    summary = import_paths([seed])
    assert summary.updated == ["03000000-2457"] and summary.rearranged == []
    warnings = {"projects.DataWarning", "projects.HistoricalDataWarning"}
    after = row_counts()
    assert {k: v for k, v in after.items() if k not in warnings} == {
        k: v for k, v in before.items() if k not in warnings
    }
    assert list(project.steps.values_list("order", "text", "weight", "start", "end")) == (
        steps_before
    )
    assert not DataWarning.objects.filter(project=project, code__in=LAYOUT_CODES).exists()


@pytest.mark.usefixtures("reference")
def test_a_rearranged_page_cut_anywhere_before_its_closing_line_writes_nothing(
    tmp_path: Path,
) -> None:
    text = rearranged("21000000-3137")
    closing = text.index("** ผลการประเมินโครงการ")
    paths = []
    for n, end in enumerate([200, closing // 4, closing // 2, closing - 400, closing - 1]):
        path = tmp_path / f"cut_{n}.txt"
        path.write_text(text[:end], encoding="utf-8")
        paths.append(path)
    before = row_counts()
    summary = import_paths(paths)
    assert row_counts() == before
    assert summary.created == [] and summary.rearranged == []
    assert [Path(r.path).name for r in summary.rejected] == [p.name for p in paths]
    for rejection, path in zip(summary.rejected, paths, strict=True):
        assert rejection.line is not None and rejection.field in {"code", "steps", "end"}
        assert f"{path}:{rejection.line}:" in str(rejection)


# --- the same rules as the other doors, and what officers entered since ---------------------


@pytest.mark.usefixtures("reference")
def test_importing_a_page_again_keeps_what_officers_entered_in_tidtam_since() -> None:
    """A page carries a project's name, units, rationale …, and a KPI's wording, unit and
    target; the budget, the progress unit and a KPI's direction and method are Tidtam's."""
    project = import_seed("03000000-2457")
    kpi = Kpi.objects.filter(projects=project).first()
    assert kpi is not None
    Project.objects.filter(pk=project.pk).update(
        name="ชื่อที่แก้ในติดตาม",
        budget=Decimal("2500000"),
        progress_unit="แห่ง",
        progress_target=Decimal(50),
    )
    Kpi.objects.filter(pk=kpi.pk).update(direction=KpiDirection.LOWER, method="นับจากทะเบียน")

    assert import_paths([seed_path("03000000-2457")]).rejected == []
    project.refresh_from_db()
    kpi.refresh_from_db()
    assert project.name == "โครงการพัฒนาระบบงานและโครงสร้างสำนักงานเขต"  # the page's field
    assert (project.budget, project.progress_unit, project.progress_target) == (
        Decimal("2500000"),
        "แห่ง",
        Decimal(50),
    )
    assert (kpi.direction, kpi.method) == (KpiDirection.LOWER, "นับจากทะเบียน")


@pytest.mark.usefixtures("reference")
def test_a_page_naming_another_agencys_unit_is_refused_as_the_project_form_refuses_it() -> None:
    other = make_agency("99980000")
    Unit.objects.create(agency=other, code="03060400", origin=Origin.MANUAL)
    with override("en"):
        summary = import_paths([seed_path("03000000-2457")])
    assert [r.field for r in summary.rejected] == ["owning_unit", "reporting_unit"]
    assert "This unit belongs to another agency." in summary.rejected[0].message
    assert not Project.objects.exists()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match=r"^1 file"):
        call_command("import_legacy", str(seed_path("03000000-2457")), stdout=out, stderr=err)
    assert "rejected 1," in out.getvalue()
    assert "[owning_unit]" in err.getvalue() and "[reporting_unit]" in err.getvalue()


@pytest.mark.usefixtures("reference")
def test_a_page_moving_a_project_that_supports_kpis_to_another_year_is_refused(
    tmp_path: Path,
) -> None:
    source = seed_path("03000000-2457").read_text(encoding="utf-8")
    project = import_seed("03000000-2457")
    before = row_counts()
    moved = tmp_path / "moved.txt"
    moved.write_text(
        source.replace(project.agency_name_source, project.agency_name_source + " : (2564)", 1),
        encoding="utf-8",
    )
    with override("en"):
        summary = import_paths([moved])
    assert [r.field for r in summary.rejected] == ["fiscal_year"]
    assert "supports KPIs of fiscal year 2020 (0300-0760)" in summary.rejected[0].message
    assert Project.objects.get(code="03000000-2457").fiscal_year_id == 2563
    assert row_counts() == before


@pytest.mark.usefixtures("reference")
def test_a_page_naming_a_kpi_code_of_another_agency_is_refused_as_the_kpi_form_refuses_it() -> None:
    other = make_agency("03009000")
    make_kpi("0300-0760", agency=other, fiscal_year=2563, text="ตัวชี้วัดของหน่วยงานอื่น")
    with override("en"):
        summary = import_paths([seed_path("03000000-2457")])
    assert [r.field for r in summary.rejected] == ["projects"]
    assert "is not one of the agency's projects of fiscal year 2020" in summary.rejected[0].message
    assert not Project.objects.exists()
    assert Kpi.objects.get(code="0300-0760").text == "ตัวชี้วัดของหน่วยงานอื่น"
