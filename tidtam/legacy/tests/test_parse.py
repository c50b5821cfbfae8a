"""The legacy page parser: every fact of both real pages, the variants other agencies' pages
show, the damage the old system left, and rejection of anything that is not a whole page."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidtam.legacy.parse import (
    Contact,
    LegacyPage,
    LegacyParseError,
    parse_decimal,
    parse_legacy_date,
    parse_page,
)
from tidtam.legacy.parse_fields import split_numbered
from tidtam.legacy.tests.conftest import REPO, SAMPLES
from tidtam.legacy.tests.layouts import facts
from tidtam.lib.thai import normalise_thai, to_arabic_digits

Read = Callable[[str], str]
SEED_CODES = ("03000000-2457", "21000000-3137")
SAMPLE_CODES = tuple(sorted(path.stem for path in SAMPLES.glob("*.txt")))
DAMAGE = {"trailing_percent", "question_mark_in_word", "sara_am_split"}
NIKHAHIT_SARA_AA = "\u0e4d\u0e32"
SARA_AM = "\u0e33"


def line_no(text: str, prefix: str) -> int:
    """1-based number of the first line starting with `prefix`."""
    for no, line in enumerate(text.split("\n"), 1):
        if line.startswith(prefix):
            return no
    raise AssertionError(f"no line starts with {prefix!r}")


def replace_line(text: str, prefix: str, new: str | None) -> str:
    """Replace (or with None, drop) the first line starting with `prefix`."""
    lines = text.split("\n")
    at = line_no(text, prefix) - 1
    lines[at : at + 1] = [] if new is None else [new]
    return "\n".join(lines)


def reference_rows(name: str) -> list[dict[str, str]]:
    with (REPO / "reference" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rejection(text: str) -> LegacyParseError:
    with pytest.raises(LegacyParseError) as raised:
        parse_page(text)
    return raised.value


@pytest.fixture(scope="module")
def page_2457(seed: Read) -> LegacyPage:
    return parse_page(seed("03000000-2457"), source="seed")


@pytest.fixture(scope="module")
def page_3137(seed: Read) -> LegacyPage:
    return parse_page(seed("21000000-3137"), source="seed")


# --- seed 03000000-2457 --------------------------------------------------------------------


def test_seed_2457_is_project_2457_of_agency_03000000_in_fiscal_year_2563(
    seed: Read, page_2457: LegacyPage
) -> None:
    text = seed("03000000-2457")
    assert page_2457.code == "03000000-2457"
    assert page_2457.agency_code == "03000000"
    assert page_2457.source == "seed"
    project_line = text.split("\n")[line_no(text, page_2457.name) - 1]
    assert project_line == f"{page_2457.name} : 03000000-2457"
    # No year on its department line: FY 2563 comes from the first step (2019-11-01).
    assert page_2457.fiscal_year == 2563
    assert not page_2457.fiscal_year_stated


def test_seed_2457_keeps_its_agency_name_spelled_with_nikhahit_and_sara_aa(
    page_2457: LegacyPage,
) -> None:
    assert NIKHAHIT_SARA_AA in page_2457.agency_name
    assert normalise_thai(page_2457.agency_name) == "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร"


def test_seed_2457_is_30_percent_done_and_evaluated_0_in_quarter_4(page_2457: LegacyPage) -> None:
    assert page_2457.overall_percent == Decimal("30.00")
    assert page_2457.evaluation is not None
    assert page_2457.evaluation.quarter == 4
    assert page_2457.evaluation.score == Decimal(0)


def test_seed_2457_officer_is_one_person_on_extension_1460(page_2457: LegacyPage) -> None:
    [contact] = page_2457.contacts
    assert contact.phone == "1460"
    assert contact.name.startswith("น.ส.")
    assert page_2457.officer_text == f"{contact.name} โทร. 1460"
    assert page_2457.officer_unit == ""


def test_seed_2457_rationale_is_one_paragraph_and_units_are_03060400(
    seed: Read, page_2457: LegacyPage
) -> None:
    assert page_2457.rationale
    assert "\n" not in page_2457.rationale
    assert f"\n{page_2457.rationale}\n" in seed("03000000-2457")
    assert page_2457.owning_unit_code == "03060400"
    assert page_2457.reporting_unit_code == "03060400"


def test_seed_2457_objectives_are_1_and_2_without_their_labels(page_2457: LegacyPage) -> None:
    assert [item.label for item in page_2457.objectives] == ["1", "2"]
    assert all(item.text and not item.text[0].isdigit() for item in page_2457.objectives)


def test_seed_2457_targets_are_1_and_2_and_a_nested_1_paren_stays_in_target_2(
    page_2457: LegacyPage,
) -> None:
    first, second = page_2457.targets
    assert (first.label, second.label) == ("1", "2")
    assert first.text.endswith("5 ราย")
    assert " 1) " in second.text
    assert "900" in second.text


def test_seed_2457_strategy_has_four_levels_with_thai_digit_and_arabic_codes(
    page_2457: LegacyPage,
) -> None:
    assert [(s.level, s.level_name, s.code, s.code_source) for s in page_2457.strategy] == [
        ("dimension", "ด้าน", "5", "๕"),
        ("sub_dimension", "มิติ", "5.3", "๕.๓"),
        ("goal", "เป้าหมาย", "5.3.1", "๕.๓.๑"),
        ("objective", "เป้าประสงค์", "5.3.1.2", "๕.๓.๑.๒"),
    ]
    dimension = page_2457.strategy[0]
    assert dimension.name_th == "มหานครประชาธิปไตย"
    assert dimension.name_en == "Bangkok as a Democratic City"


def test_seed_2457_damaged_goal_and_objective_are_kept_as_printed_and_flagged(
    seed: Read, page_2457: LegacyPage
) -> None:
    text = seed("03000000-2457")
    goal, objective = page_2457.strategy[2:]
    assert goal.damaged and objective.damaged
    assert not page_2457.strategy[0].damaged and not page_2457.strategy[1].damaged
    assert f"{goal.code_source} {goal.name_th}\n" in text
    assert f"{objective.code_source} {objective.name_th}\n" in text
    assert goal.name_th.endswith("%")
    goal_line = line_no(text, "เป้าหมายที่ ๕.๓.๑ ")
    objective_line = line_no(text, "เป้าประสงค์ที่ ๕.๓.๑.๒ ")
    assert (goal.line, objective.line) == (goal_line, objective_line)
    assert {(w.line, w.field, w.code) for w in page_2457.warnings} == {
        (goal_line, "strategy", "trailing_percent"),
        (goal_line, "strategy", "sara_am_split"),
        (objective_line, "strategy", "question_mark_in_word"),
    }


def test_seed_2457_has_five_monthly_reports_newest_first(page_2457: LegacyPage) -> None:
    assert [(r.seq, r.percent, r.report_date) for r in page_2457.reports] == [
        (1, Decimal("30.00"), date(2020, 2, 19)),
        (2, Decimal("10.00"), date(2020, 1, 20)),
        (3, Decimal("5.00"), date(2019, 12, 19)),
        (4, Decimal("3.00"), date(2019, 11, 19)),
        (5, Decimal("1.00"), date(2019, 10, 19)),
    ]
    assert all(r.narrative_date == r.report_date for r in page_2457.reports)
    assert all(r.problems == "" and r.obstacles == "" for r in page_2457.reports)


def test_seed_2457_report_narrative_is_the_text_after_its_buddhist_era_date(
    seed: Read, page_2457: LegacyPage
) -> None:
    text = seed("03000000-2457")
    for report in page_2457.reports:
        assert report.narrative_date is not None
        day = report.narrative_date
        assert f"\n{day.day}/{day.month}/{day.year + 543} : {report.narrative}\n" in text
        assert report.line == line_no(text, f"({report.seq}) ")


def test_seed_2457_has_seven_zero_length_steps_weighted_10_10_40_10_20_5_5(
    page_2457: LegacyPage,
) -> None:
    steps = page_2457.steps
    assert [s.order for s in steps] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.weight for s in steps] == [10, 10, 40, 10, 20, 5, 5]
    assert all(s.start == s.end for s in steps)
    assert [s.start for s in steps] == [
        date(2019, 11, 1),
        date(2019, 12, 1),
        date(2020, 1, 1),
        date(2020, 4, 1),
        date(2020, 5, 1),
        date(2020, 7, 1),
        date(2020, 8, 1),
    ]
    assert all(s.text and not s.text.startswith(":") for s in steps)


def test_seed_2457_kpi_0300_0760_is_strategic_outcome_100_targeted_0_achieved(
    page_2457: LegacyPage,
) -> None:
    [kpi] = page_2457.kpis
    assert kpi.code == "0300-0760"
    assert kpi.text.startswith("ร้อยละ")
    assert (kpi.unit, kpi.target, kpi.achieved) == ("ร้อยละ", Decimal(100), Decimal(0))
    assert (kpi.kpi_type, kpi.level, kpi.criteria) == ("strategic", "outcome", ("2.1", "2.2"))
    assert [q.quarter for q in kpi.quarters] == [1, 2, 3, 4]
    assert all(q.result == 0 for q in kpi.quarters)
    assert kpi.quarters[0].scores == {"2.1": Decimal(100), "2.2": Decimal(100)}
    assert kpi.quarters[1].scores == {"2.1": Decimal(0), "2.2": Decimal(0)}


# --- seed 21000000-3137 --------------------------------------------------------------------


def test_seed_3137_states_fiscal_year_2563_on_its_department_line(page_3137: LegacyPage) -> None:
    assert page_3137.code == "21000000-3137"
    assert page_3137.agency_code == "21000000"
    assert (page_3137.fiscal_year, page_3137.fiscal_year_stated) == (2563, True)
    assert NIKHAHIT_SARA_AA in page_3137.agency_name
    assert normalise_thai(page_3137.agency_name) == "สำนักยุทธศาสตร์และประเมินผล"


def test_seed_3137_is_45_percent_done_and_evaluated_100_in_quarter_1(page_3137: LegacyPage) -> None:
    assert page_3137.overall_percent == Decimal("45.00")
    assert page_3137.evaluation is not None
    assert (page_3137.evaluation.quarter, page_3137.evaluation.score) == (1, Decimal(100))


def test_seed_3137_officer_is_one_person_on_extension_1544(page_3137: LegacyPage) -> None:
    [contact] = page_3137.contacts
    assert contact.phone == "1544"
    assert contact.name.startswith("นางสาว")
    assert page_3137.officer_text == f"{contact.name} โทร 1544"


def test_seed_3137_objectives_are_2_1_and_2_2_and_targets_3_1_to_3_3(page_3137: LegacyPage) -> None:
    assert [item.label for item in page_3137.objectives] == ["2.1", "2.2"]
    assert [item.label for item in page_3137.targets] == ["3.1", "3.2", "3.3"]
    assert page_3137.owning_unit_code == page_3137.reporting_unit_code == "21020100"


def test_seed_3137_strategy_goal_is_cut_and_its_objective_is_whole(
    seed: Read, page_3137: LegacyPage
) -> None:
    text = seed("21000000-3137")
    assert [s.code for s in page_3137.strategy] == ["5", "5.2", "5.2.1", "5.2.1.1"]
    assert [s.code_source for s in page_3137.strategy] == ["๕", "๕.๒", "๕.๒.๑", "๕.๒.๑.๑"]
    goal, objective = page_3137.strategy[2:]
    assert goal.damaged and not objective.damaged
    goal_line = line_no(text, "เป้าหมายที่ ๕.๒.๑ ")
    assert {(w.line, w.code) for w in page_3137.warnings} == {
        (goal_line, "trailing_percent"),
        (goal_line, "sara_am_split"),
    }


def test_seed_3137_reports_1_3_and_4_have_problems_and_none_has_obstacles(
    page_3137: LegacyPage,
) -> None:
    assert [(r.seq, r.percent, r.report_date) for r in page_3137.reports] == [
        (1, Decimal("45.00"), date(2020, 3, 23)),
        (2, Decimal("40.00"), date(2020, 2, 24)),
        (3, Decimal("15.00"), date(2019, 12, 26)),
        (4, Decimal("10.00"), date(2019, 11, 25)),
        (5, Decimal("5.00"), date(2019, 10, 22)),
    ]
    assert [bool(r.problems) for r in page_3137.reports] == [True, False, True, True, False]
    assert all(r.obstacles == "" for r in page_3137.reports)
    assert all(r.narrative_date == r.report_date for r in page_3137.reports)


def test_seed_3137_has_ten_steps_with_day_month_ce_dates_weighing_100(
    page_3137: LegacyPage,
) -> None:
    steps = page_3137.steps
    assert len(steps) == 10
    assert sum(s.weight for s in steps) == 100
    assert (steps[0].start, steps[0].end) == (date(2019, 10, 1), date(2019, 10, 31))
    assert (steps[5].start, steps[5].end) == (date(2020, 2, 17), date(2020, 6, 30))
    assert (steps[9].start, steps[9].end) == (date(2020, 9, 1), date(2020, 9, 30))
    assert [s.weight for s in steps] == [5, 5, 10, 20, 10, 10, 5, 25, 5, 5]


def test_seed_3137_kpi_2100_1037_is_output_80_targeted_with_20_in_quarter_1(
    page_3137: LegacyPage,
) -> None:
    [kpi] = page_3137.kpis
    assert (kpi.code, kpi.target, kpi.achieved) == ("2100-1037", Decimal(80), Decimal(0))
    assert (kpi.kpi_type, kpi.level) == ("strategic", "output")
    assert kpi.quarters[0].result == Decimal("20.00")
    full = {"2.1": Decimal(100), "2.2": Decimal(100)}
    assert [q.scores == full for q in kpi.quarters] == [True, True, False, False]


# --- both seeds: layout does not matter ----------------------------------------------------


@pytest.mark.parametrize("code", SEED_CODES)
def test_seed_parses_the_same_with_crlf_bom_and_trailing_spaces(seed: Read, code: str) -> None:
    text = seed(code)
    windows = "\ufeff" + "\r\n".join(line + "  \t" for line in text.split("\n"))
    assert parse_page(windows) == parse_page(text)


@pytest.mark.parametrize("code", SEED_CODES)
def test_extra_blank_lines_change_only_line_numbers(seed: Read, code: str) -> None:
    text = seed(code)
    assert facts(parse_page(text.replace("\n", "\n\n\n"))) == facts(parse_page(text))


@pytest.mark.parametrize("code", SEED_CODES)
def test_seed_spelled_with_nikhahit_and_sara_aa_everywhere_reads_the_same(
    seed: Read, code: str
) -> None:
    text = seed(code)
    page, respelled = parse_page(text), parse_page(text.replace(SARA_AM, NIKHAHIT_SARA_AA))
    assert len(respelled.reports) == len(page.reports)
    assert [s.weight for s in respelled.steps] == [s.weight for s in page.steps]
    assert [k.kpi_type for k in respelled.kpis] == [k.kpi_type for k in page.kpis]
    assert [s.code for s in respelled.strategy] == [s.code for s in page.strategy]
    assert normalise_thai(respelled.rationale) == normalise_thai(page.rationale)


# --- samples: every variant of other agencies' pages ---------------------------------------


@pytest.mark.parametrize("code", SAMPLE_CODES)
def test_every_sample_parses_cleanly_and_is_named_by_its_project_code(
    sample: Read, code: str
) -> None:
    page = parse_page(sample(code))
    assert page.code == code
    assert {w.code for w in page.warnings} <= DAMAGE
    assert sum(s.weight for s in page.steps) == 100
    agencies = {row["code"]: row["name_th"] for row in reference_rows("agencies.csv")}
    assert normalise_thai(page.agency_name) == agencies[page.agency_code]


@pytest.mark.parametrize("code", SAMPLE_CODES)
def test_every_sample_strategy_line_is_in_the_reference_plan(sample: Read, code: str) -> None:
    plan = {row["code"]: row for row in reference_rows("bma_plan_2556_2575.csv")}
    for line in parse_page(sample(code)).strategy:
        assert plan[line.code]["level"] == line.level
        if not line.damaged:
            assert line.name_th == plan[line.code]["name_th"]
            assert line.name_en == plan[line.code]["name_en"]


def test_samples_cover_every_variant_the_importer_must_handle(sample: Read) -> None:
    pages = [parse_page(sample(code)) for code in SAMPLE_CODES]
    assert len(pages) >= 3
    assert {p.fiscal_year_stated for p in pages} == {True, False}
    assert any(NIKHAHIT_SARA_AA in p.agency_name for p in pages)
    assert any(p.officer_unit for p in pages)
    assert any(len(p.contacts) > 1 for p in pages)
    assert any(not p.strategy for p in pages) and any(not p.kpis for p in pages)
    assert any(len(p.kpis) > 1 for p in pages)
    assert {k.kpi_type for p in pages for k in p.kpis} == {"strategic", "routine"}
    assert {k.unit for p in pages for k in p.kpis} > {"ร้อยละ"}
    assert any(s.damaged for p in pages for s in p.strategy)
    assert any(k.target >= 1000 for p in pages for k in p.kpis)


def test_department_line_without_a_year_takes_it_from_the_first_step(sample: Read) -> None:
    page = parse_page(sample("50120000-0101"))
    assert page.steps[0].start == date(2020, 10, 1)
    assert (page.fiscal_year, page.fiscal_year_stated) == (2564, False)
    assert parse_page(sample("24000000-0088")).fiscal_year == 2565


def test_department_line_with_a_year_states_it(sample: Read, fixture_text: Read) -> None:
    page = parse_page(sample("11000000-0215"))
    assert (page.agency_name, page.fiscal_year, page.fiscal_year_stated) == (
        "สำนักการระบายน้ำ",
        2564,
        True,
    )
    thai_digits = parse_page(fixture_text("thai_month_dates.txt"))
    assert (thai_digits.fiscal_year, thai_digits.fiscal_year_stated) == (2563, True)


def test_without_steps_the_fiscal_year_comes_from_the_oldest_report(sample: Read) -> None:
    plan_lines = ("ขั้นตอน ", ":", "เริ่มต้น", "สิ้นสุด")
    text = sample("50040000-0032").replace(" : (2563)", "")
    page = parse_page("\n".join(s for s in text.split("\n") if not s.startswith(plan_lines)))
    assert page.steps == ()
    assert page.reports[-1].report_date == date(2020, 6, 26)
    assert (page.fiscal_year, page.fiscal_year_stated) == (2563, False)


def test_a_stated_fiscal_year_that_disagrees_with_the_plan_is_flagged(sample: Read) -> None:
    page = parse_page(sample("50040000-0032").replace(" : (2563)", " : (2564)"))
    assert page.fiscal_year == 2564
    [warning] = [w for w in page.warnings if w.field == "fiscal_year"]
    assert warning.code == "mismatch"


@pytest.mark.parametrize(
    ("score_line", "expected"),
    [
        ("*** สยป. ประเมินโครงการ : ไตรมาสที่ 3 : 75.5000", (3, Decimal("75.5"))),
        ("*** สยป. ประเมินโครงการ : ไตรมาสที่ 3 75.5000", (3, Decimal("75.5"))),
        ("*** สยป. ประเมินโครงการ : ไตรมาสที่ 2 :", (2, None)),
        ("*** สยป. ประเมินโครงการ ไตรมาสที่ 2", (2, None)),
        ("*** สยป.ประเมินโครงการ : ไตรมาสที่ ๔ : ๐.๐๐๐๐", (4, Decimal(0))),
    ],
)
def test_evaluator_score_line_with_or_without_colon_or_value(
    sample: Read, score_line: str, expected: tuple[int, Decimal | None]
) -> None:
    text = sample("50040000-0032")
    links = "ดูโครงการแผนปีฯ : พิมพ์ข้อมูล"
    page = parse_page(replace_line(text, links, f"{links}\n\n{score_line}"))
    assert page.evaluation is not None
    assert (page.evaluation.quarter, page.evaluation.score) == expected
    assert page.officer_text.endswith("1234")


def test_a_page_without_the_score_line_has_no_evaluation(sample: Read) -> None:
    assert parse_page(sample("50040000-0032")).evaluation is None


@pytest.mark.parametrize(
    ("officer", "contacts", "unit"),
    [
        ("ฝ่ายแผนงาน", [], "ฝ่ายแผนงาน"),
        ("ฝ่ายโยธา  สำนักงานเขตบางรัก", [], "ฝ่ายโยธา สำนักงานเขตบางรัก"),
        ("ฝ่ายโทรคมนาคม", [], "ฝ่ายโทรคมนาคม"),
        ("นายเอก ทดสอบ โทร. 1460", [("นายเอก ทดสอบ", "1460")], ""),
        ("นางโท ทดสอบ โทร 1544", [("นางโท ทดสอบ", "1544")], ""),
        ("น.ส.ตรี ทดสอบ โทร.0 2224 1234", [("น.ส.ตรี ทดสอบ", "0 2224 1234")], ""),
        ("นายจัตวา ทดสอบ 02-224-1234 ต่อ 1460", [("นายจัตวา ทดสอบ", "02-224-1234 ต่อ 1460")], ""),
        ("นางสาวห้า ทดสอบ Tel. 1234", [("นางสาวห้า ทดสอบ", "1234")], ""),
        ("นายหก ทดสอบ โทรศัพท์ 0-2246-0000", [("นายหก ทดสอบ", "0-2246-0000")], ""),
        ("นายเจ็ด ทดสอบ โทร : 1460", [("นายเจ็ด ทดสอบ", "1460")], ""),
        ("นายเอก ก, นางโท ข โทร. 1461", [("นายเอก ก", ""), ("นางโท ข", "1461")], ""),
        ("นายเอก ก / นางโท ข", [("นายเอก ก", ""), ("นางโท ข", "")], ""),
        ("นายเอก ก และ นางโท ข", [("นายเอก ก", ""), ("นางโท ข", "")], ""),
        ("นายเอก ก โทร. 1460\nนางโท ข โทร. 1461", [("นายเอก ก", "1460"), ("นางโท ข", "1461")], ""),
        ("นายเอก ก โทร. 1460, 1461", [("นายเอก ก", "1460, 1461")], ""),
        ("ว่าที่ร้อยตรีแปด ทดสอบ", [("ว่าที่ร้อยตรีแปด ทดสอบ", "")], ""),
        ("-", [], ""),
    ],
)
def test_officer_field_is_a_unit_or_people_with_phones_in_any_form(
    sample: Read, officer: str, contacts: list[tuple[str, str]], unit: str
) -> None:
    page = parse_page(replace_line(sample("50040000-0032"), "นางสาวกมลวรรณ", officer))
    assert page.officer_text == officer
    assert page.contacts == tuple(Contact(name, phone) for name, phone in contacts)
    assert page.officer_unit == unit


def test_a_page_without_an_officer_has_no_contacts(sample: Read) -> None:
    page = parse_page(replace_line(sample("50040000-0032"), "นางสาวกมลวรรณ", None))
    assert (page.officer_text, page.contacts, page.officer_unit) == ("", (), "")
    assert page.agency_name.endswith("บางรัก")


def test_numbers_with_thousands_separators_are_read(sample: Read) -> None:
    [trees] = parse_page(sample("50120000-0101")).kpis
    assert (trees.unit, trees.target, trees.achieved) == ("ต้น", Decimal(5000), Decimal(2150))
    assert trees.quarters[1].result == Decimal(2150)
    assert trees.quarters[0].scores == {"2.1": Decimal(100), "2.2": Decimal(75)}
    canals = parse_page(sample("11000000-0215")).kpis[1]
    assert (canals.unit, canals.target) == ("กิโลเมตร", Decimal("1250.5"))


def test_a_page_can_hold_a_strategic_and_a_routine_kpi(sample: Read) -> None:
    page = parse_page(sample("11000000-0215"))
    assert [(k.code, k.kpi_type, k.level, k.unit) for k in page.kpis] == [
        ("1100-0412", "strategic", "outcome", "ร้อยละ"),
        ("1100-0415", "routine", "output", "กิโลเมตร"),
    ]
    assert [k.quarters[2].result for k in page.kpis] == [Decimal("62.50"), Decimal("986.25")]


def test_a_page_may_lack_the_strategy_block_or_the_kpis(sample: Read) -> None:
    no_strategy = parse_page(sample("11000000-0215"))
    assert no_strategy.strategy == () and no_strategy.warnings == ()
    assert [item.label for item in no_strategy.targets] == ["1", "2"]
    no_kpis = parse_page(sample("24000000-0088"))
    assert no_kpis.kpis == () and len(no_kpis.strategy) == 3


def test_problems_and_obstacles_may_run_over_several_lines_and_dash_means_none(
    sample: Read,
) -> None:
    elderly = parse_page(sample("24000000-0088")).reports[0]
    assert elderly.problems.count("\n") == 1
    assert elderly.obstacles
    transparency = parse_page(sample("50040000-0032")).reports[1]
    assert (transparency.problems, transparency.obstacles) == ("", "")


def test_a_narrative_without_a_date_prefix_keeps_its_whole_text(sample: Read) -> None:
    report = parse_page(sample("50040000-0032")).reports[1]
    assert report.narrative_date is None
    assert report.narrative.startswith("เผยแพร่")


def test_other_template_with_thai_month_dates_and_multi_line_fields(fixture_text: Read) -> None:
    page = parse_page(fixture_text("thai_month_dates.txt"))
    assert [(s.start, s.end) for s in page.steps] == [
        (date(2019, 10, 1), date(2019, 11, 30)),
        (date(2019, 12, 1), date(2020, 8, 31)),
    ]
    assert page.steps[0].text.count("\n") == 1
    assert page.reports[0].narrative.count("\n") == 1
    assert page.overall_percent == Decimal(20)
    assert [c.phone for c in page.contacts] == ["", "0 2539 0000"]
    assert page.evaluation is not None and page.evaluation.score is None
    assert [item.label for item in page.objectives] == [""]
    assert [item.label for item in page.targets] == ["1", "2"]
    assert page.targets[0].text.endswith("พ.ศ.2562")
    assert page.warnings == ()


# --- damage --------------------------------------------------------------------------------


def test_damage_in_a_narrative_is_flagged_on_its_line_and_field(sample: Read) -> None:
    text = sample("50120000-0101")
    damaged = "25/1/2564 : ปลูกต้นไม้แล้ว 2,150 ต้น ร่วมกับชุมชนเพื่อท?าความสะอาด"
    page = parse_page(replace_line(text, "25/1/2564 : ", damaged))
    [warning] = [w for w in page.warnings if w.field == "reports.narrative"]
    assert (warning.line, warning.code) == (line_no(text, "25/1/2564 : "), "question_mark_in_word")
    assert page.reports[0].narrative.endswith("ท?าความสะอาด")


@pytest.mark.parametrize(
    "clean",
    ["ความคืบหน้าร้อยละ 30%", "ทำไม? เพราะ", "what?now", "ทำงานครบ 100 %", "ร้อยละ"],
)
def test_ordinary_text_is_not_flagged_as_damage(sample: Read, clean: str) -> None:
    page = parse_page(replace_line(sample("11000000-0215"), "20/4/2564 : ", f"20/4/2564 : {clean}"))
    assert page.warnings == ()


@pytest.mark.parametrize("code", SEED_CODES)
def test_warning_excerpts_never_cut_a_thai_cluster(seed: Read, code: str) -> None:
    for warning in parse_page(seed(code)).warnings:
        excerpt = warning.excerpt.strip("…")
        assert unicodedata.category(excerpt[0]) != "Mn" and excerpt[0] != SARA_AM
        assert excerpt[-1] not in "\u0e40\u0e41\u0e42\u0e43\u0e44"
        assert " / " in warning.message


# --- rejections ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\ufeff", "\r\n\r\n"])
def test_an_empty_file_is_rejected(text: str) -> None:
    error = rejection(text)
    assert (error.field, error.line) == ("code", None)


def test_a_file_that_is_not_a_project_page_is_rejected_on_its_first_line(
    fixture_text: Read,
) -> None:
    error = rejection(fixture_text("not_a_project.txt"))
    assert (error.field, error.line) == ("code", 1)
    assert "โครงการ" in error.message and " / " in error.message


def test_a_page_without_its_project_line_is_rejected(sample: Read) -> None:
    error = rejection(replace_line(sample("50040000-0032"), "โครงการเขตบางรัก", None))
    assert error.field == "code"
    assert "12345678-1234" in error.message


def test_a_page_cut_before_its_operating_plan_names_what_is_missing_and_the_last_line(
    fixture_text: Read,
) -> None:
    text = fixture_text("cut_off.txt")
    error = rejection(text)
    last = max(no for no, line in enumerate(text.split("\n"), 1) if line.strip())
    assert (error.field, error.line) == ("steps", last)
    assert "แผนการดำเนินงาน" in error.message and str(last) in error.message


@pytest.mark.parametrize("code", SEED_CODES)
def test_a_seed_cut_in_its_reports_is_rejected(seed: Read, code: str) -> None:
    text = "\n".join(seed(code).split("\n")[:60])
    error = rejection(text)
    assert error.field == "steps"
    assert error.line is not None and error.line <= 60


@pytest.mark.parametrize("code", SEED_CODES)
def test_a_seed_cut_after_its_operating_plan_is_rejected(seed: Read, code: str) -> None:
    text = seed(code)
    error = rejection(text[: text.index("(* 2.1 / 2.2 *)")])
    assert error.field == "end"


@pytest.mark.parametrize(
    ("prefix", "bad", "field"),
    [
        ("เริ่มต้น :16/12/2020", "เริ่มต้น :32/12/2020", "steps.start"),
        ("สิ้นสุด :30/04/2021", "สิ้นสุด :เมษายน", "steps.end"),
        ("สิ้นสุด :30/04/2021", "สิ้นสุด :01/12/2020", "steps.end"),
        (":60%", ":หกสิบ%", "steps.weight"),
        (":60%", ":160%", "steps.weight"),
        ("(2) ความคืบหน้า", "(2) ความคืบหน้าโครงการฯ ร้อยละ 45.00 (2021-02-30)", "reports.report_date"),
        ("(2) ความคืบหน้า", "(2) ความคืบหน้าโครงการฯ ร้อยละ สี่สิบ (2021-02-22)", "reports.percent"),
        ("(2) ความคืบหน้า", "รายงานครั้งที่ 2", "reports"),
        ("ค่าเป้าหมาย กิโลเมตร", "ค่าเป้าหมาย กิโลเมตร : มาก", "kpis.target"),
        ("ค่าเป้าหมาย กิโลเมตร", None, "kpis.target"),
        ("ผลงานที่ทำได้ กิโลเมตร", None, "kpis.achieved"),
        ("986.25", "เก้าร้อย", "kpis.quarters"),
        ("รายละเอียดเกี่ยวกับตัวชี้วัด : 1100-0415", "รายละเอียดเกี่ยวกับตัวชี้วัด :", "kpis.code"),
    ],
)
def test_an_unreadable_step_report_or_kpi_line_is_rejected_at_that_line(
    sample: Read, prefix: str, bad: str | None, field: str
) -> None:
    text = sample("11000000-0215")
    error = rejection(replace_line(text, prefix, bad))
    assert error.field == field
    assert error.line is not None
    if bad is not None:
        assert error.line == line_no(text, prefix)


def test_a_step_without_its_end_date_is_rejected(sample: Read) -> None:
    text = sample("11000000-0215")
    error = rejection(replace_line(text, "สิ้นสุด :30/04/2021", None))
    assert error.field == "steps.end"


def test_a_page_without_a_fiscal_year_steps_or_reports_is_rejected(fixture_text: Read) -> None:
    text = fixture_text("thai_month_dates.txt").replace(" : (๒๕๖๓)", "")
    head, tail = text.split("ผลการดำเนินงาน\n")
    text = head + "แผนการดำเนินงานฯ\n" + tail.split("สนับสนุนตัวชี้วัดตามแผนฯ\n")[1]
    error = rejection(text)
    assert error.field == "fiscal_year"


def test_the_error_carries_its_line_and_field_in_its_text(sample: Read) -> None:
    error = rejection(replace_line(sample("11000000-0215"), ":60%", ":x%"))
    assert str(error).endswith(f"[line {error.line}, steps.weight]")


# --- field readers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-11-01", date(2019, 11, 1)),
        ("01/10/2019", date(2019, 10, 1)),
        ("19/2/2563", date(2020, 2, 19)),
        ("2563-02-19", date(2020, 2, 19)),
        ("๑๙/๒/๒๕๖๓", date(2020, 2, 19)),
        ("22 พฤศจิกายน 2562", date(2019, 11, 22)),
        ("22 พฤศจิกายน พ.ศ. 2562", date(2019, 11, 22)),
        ("21 ม.ค. 63", date(2020, 1, 21)),
        ("21 มค. 63", date(2020, 1, 21)),
        ("ม.ค. 2563", date(2020, 1, 1)),
        ("3 ก.พ. 2563", date(2020, 2, 3)),
        (" 30 ก.ย. 2563 ", date(2020, 9, 30)),
    ],
)
def test_legacy_dates_are_read_in_every_form(text: str, expected: date) -> None:
    assert parse_legacy_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "abc", "31/02/2020", "13/13/2020", "2020-02-30", "21 มกรา 63", "1 ม.ค.", "99999-1-1"],
)
def test_an_unreadable_date_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_legacy_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234,567.50", Decimal("1234567.50")),
        ("30.00", Decimal(30)),
        ("100.0000", Decimal(100)),
        (" 0.0000 ", Decimal(0)),
        ("๑๒.๕", Decimal("12.5")),
        ("-2", Decimal(-2)),
    ],
)
def test_decimals_are_read_with_separators_and_thai_digits(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,23", "1.2.3", "NaN", "Infinity", "1e5", "٣"])
def test_an_unreadable_number_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_normalise_thai_is_for_matching_only() -> None:
    assert normalise_thai(f"ส{NIKHAHIT_SARA_AA}นัก  งาน\n") == "สำนัก งาน"
    assert normalise_thai("น\u0e4d\u0e49\u0e32") == "น\u0e49\u0e33"
    assert normalise_thai("ก\u200bข") == "กข"
    assert to_arabic_digits("๕.๓.๑.๒ (๒๕๖๓)") == "5.3.1.2 (2563)"


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("1.ก ข 2.ค", ["1", "2"]),
        ("1. ตาม พ.ศ.2545 และ 2.5 ล้านบาท 2. ข", ["1", "2"]),
        ("1. จำนวน 5 ราย 2. จัด 1) กลุ่ม 2) กลุ่ม", ["1", "2"]),
        ("2.1 ก 2.2 ข 2.2.1 ค", ["2.1", "2.2"]),
        ("3.1 ก 3.2 ข 3.3 ค", ["3.1", "3.2", "3.3"]),
        ("1) ก 2) ข", ["1", "2"]),
        ("1. ก\n2. ข", ["1", "2"]),
        ("ข้อความไม่มีเลขข้อ 1. ก", [""]),
        ("2545 ปีที่เริ่ม", [""]),
        ("", []),
    ],
)
def test_inline_numbered_lists_split_only_at_the_next_label_of_their_scheme(
    text: str, labels: list[str]
) -> None:
    items = split_numbered(text)
    assert [item.label for item in items] == labels
    assert all(item.text for item in items)


# --- any input: a page or a LegacyParseError, nothing else ---------------------------------


def parse_or_reject(text: str) -> None:
    try:
        page = parse_page(text)
    except LegacyParseError as error:
        assert error.field and error.message
    else:
        assert page.code and page.fiscal_year > 2400


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_is_parsed_or_rejected(text: str) -> None:
    parse_or_reject(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(SAMPLE_CODES),
    st.lists(st.tuples(st.integers(0, 400), st.text(max_size=40)), max_size=6),
)
def test_a_sample_with_random_lines_replaced_is_parsed_or_rejected(
    code: str, edits: list[tuple[int, str]]
) -> None:
    lines = (SAMPLES / f"{code}.txt").read_text(encoding="utf-8").split("\n")
    for at, junk in edits:
        lines[at % len(lines)] = junk
    parse_or_reject("\n".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLE_CODES), st.lists(st.integers(0, 400), max_size=20))
def test_a_sample_with_random_lines_dropped_is_parsed_or_rejected(
    code: str, drops: list[int]
) -> None:
    lines = (SAMPLES / f"{code}.txt").read_text(encoding="utf-8").split("\n")
    keep = set(range(len(lines))) - {at % len(lines) for at in drops}
    parse_or_reject("\n".join(lines[i] for i in sorted(keep)))


@pytest.mark.parametrize("code", SEED_CODES)
def test_a_seed_cut_after_any_line_is_parsed_or_rejected(seed: Read, code: str) -> None:
    lines = seed(code).split("\n")
    for end in range(len(lines) + 1):
        parse_or_reject("\n".join(lines[:end]))


@settings(max_examples=300, deadline=None)
@given(code=st.sampled_from(SEED_CODES), cut=st.integers(min_value=0))
def test_a_seed_cut_anywhere_is_parsed_or_rejected(seed: Read, code: str, cut: int) -> None:
    text = seed(code)
    parse_or_reject(text[: cut % (len(text) + 1)])


def test_an_overall_percent_that_differs_from_the_latest_report_is_flagged(seed: Read) -> None:
    text = seed("03000000-2457").replace(
        "ความคืบหน้าโครงการ ร้อยละ 30.00", "ความคืบหน้าโครงการ ร้อยละ 35.00"
    )
    text = replace_line(text, "30.00", "35.00")
    page = parse_page(text)
    assert page.overall_percent == Decimal("35.00")
    [warning] = [w for w in page.warnings if w.field == "overall_percent"]
    assert warning.code == "mismatch"
    assert warning.line == line_no(text, "(1) ความคืบหน้าโครงการฯ")
    assert warning.excerpt == "35.00 ≠ 30.00"
    clean = parse_page(seed("03000000-2457"))
    assert not [w for w in clean.warnings if w.field == "overall_percent"]
