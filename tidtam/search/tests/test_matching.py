"""The matching rule: substrings of three characters or more, whole words below that, every
term required, over the normalised text (SARA AM, zero-width characters, digits, case)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tidtam.indicators.tests.factories import make_kpi
from tidtam.orgs.models import Origin
from tidtam.projects.models import Project, ProjectItem
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport, ReportStatus
from tidtam.search.tests.conftest import Find, index_all
from tidtam.test import make_agency, make_project

pytestmark = pytest.mark.django_db

BRIDGE = "99990000-0001"
ROAD = "99990000-0002"


def test_a_query_segmented_differently_from_the_text_still_finds_it(find: Find) -> None:
    make_project(code=BRIDGE, name="โครงการก่อสร้างสะพาน")
    make_project(code=ROAD, name="โครงการปรับปรุงถนน")
    index_all()
    assert find("สร้างสะพ") == [BRIDGE]
    assert find("ก่อสร้าง สะพาน") == [BRIDGE]
    assert find("โครงการก่อสร้างสะพาน") == [BRIDGE]


def test_every_word_must_be_found_so_more_words_narrow_the_results(find: Find) -> None:
    make_project(code=BRIDGE, name="โครงการก่อสร้างสะพาน", rationale="ชุมชนริมคลอง")
    make_project(code=ROAD, name="โครงการก่อสร้างถนน", rationale="ชุมชนริมคลอง")
    index_all()
    assert find("ก่อสร้าง") == [BRIDGE, ROAD]
    assert find("ก่อสร้าง คลอง") == [BRIDGE, ROAD]
    assert find("ก่อสร้าง คลอง ถนน") == [ROAD]
    assert find("ก่อสร้าง เรือ") == []


def test_thai_and_latin_digits_find_each_other(find: Find) -> None:
    make_project(code=BRIDGE, name="อบรมหลักสูตรผู้นำ รุ่นที่ ๑๐๑")
    make_project(code=ROAD, name="อบรมหลักสูตรผู้นำ รุ่นที่ 102")
    index_all()
    assert find("รุ่นที่ 101") == [BRIDGE]
    assert find("๑๐๒") == [ROAD]


def test_sara_am_typed_as_nikhahit_and_sara_aa_matches_either_way(find: Find) -> None:
    make_project(code=BRIDGE, name="โครงการพัฒนาแหล่งน\u0e4d\u0e49\u0e32ชุมชน")
    make_project(code=ROAD, name="โครงการจัดทำแผนที่")
    index_all()
    assert find("แหล่งน้ำ") == [BRIDGE]
    assert find("จัดท\u0e4d\u0e32แผน") == [ROAD]


def test_a_zero_width_character_is_invisible_to_search(find: Find) -> None:
    make_project(code=BRIDGE, name="โครงการก่อสร้าง\u200bสะพาน")
    index_all()
    assert find("ก่อสร้างสะพาน") == [BRIDGE]
    assert find("ก่อ\u2060สร้าง") == [BRIDGE]


def test_latin_letters_match_whatever_their_case(find: Find) -> None:
    make_project(code=BRIDGE, name="ระบบ Smart City ของเขต")
    index_all()
    assert find("SMART city") == [BRIDGE]


def test_a_short_piece_must_be_a_whole_word(find: Find) -> None:
    make_project(code=BRIDGE, name="ซ่อมไฟ ทางเดิน", rationale="ติดตั้งไฟ")
    make_project(code=ROAD, name="ขยายเขตไฟฟ้า")
    index_all()
    # "ไฟ" is a word of the first project's text; the second has only "ไฟฟ้า".
    assert find("ไฟ") == [BRIDGE]
    assert find("ไฟ ทางเดิน") == [BRIDGE]


def test_agency_names_in_thai_and_english_are_searched(find: Find) -> None:
    agency = make_agency("99970000", name_th="สำนักการระบายน้ำ", name_en="Drainage Department")
    make_project(code="99970000-0001", agency=agency, name="โครงการขุดลอกคู")
    make_project(code=ROAD, name="โครงการขุดลอกคู")
    index_all()
    assert find("การระบาย") == ["99970000-0001"]
    assert find("drainage") == ["99970000-0001"]


def test_objectives_and_targets_are_searched(find: Find) -> None:
    project = make_project(code=BRIDGE, name="โครงการหนึ่ง")
    ProjectItem.objects.create(project=project, kind="objective", order=1, text="ลดน้ำท่วมขัง")
    ProjectItem.objects.create(project=project, kind="target", order=1, text="ประชาชนห้าพันคน")
    index_all()
    assert find("น้ำท่วม") == [BRIDGE]
    assert find("ห้าพัน") == [BRIDGE]


def report(project: Project, status: str, month: int, **texts: str) -> ProgressReport:
    return ProgressReport.objects.create(
        project=project,
        report_date=date(2020, month, 28),
        percent=Decimal(10 * month),
        status=status,
        origin=Origin.MANUAL,
        **texts,
    )


def test_approved_reports_are_searched_and_drafts_never(find: Find) -> None:
    project = make_project(code=BRIDGE, name="โครงการหนึ่ง")
    report(project, ReportStatus.APPROVED, 1, narrative="เทคอนกรีตตอม่อ", obstacles="ฝนตกหนัก")
    report(project, ReportStatus.DRAFT, 2, narrative="ผู้รับจ้างทิ้งงาน")
    report(project, ReportStatus.SUBMITTED, 3, problems="งบประมาณไม่พอ")
    index_all()
    assert find("ตอม่อ") == [BRIDGE]
    assert find("ฝนตก") == [BRIDGE]
    assert find("ทิ้งงาน") == []
    assert find("ไม่พอ") == []


def test_problems_raised_in_approved_reports_are_searched(find: Find) -> None:
    project = make_project(code=BRIDGE, name="โครงการหนึ่ง")
    category = ProblemCategory.objects.create(name_th="อื่น ๆ")
    approved = report(project, ReportStatus.APPROVED, 1, narrative="ดำเนินการ")
    draft = report(project, ReportStatus.DRAFT, 2, narrative="ดำเนินการ")
    Problem.objects.create(
        project=project, category=category, description="ท่อประปาแตก", opened_in=approved
    )
    Problem.objects.create(
        project=project, category=category, description="ชุมชนคัดค้าน", opened_in=draft
    )
    index_all()
    assert find("ประปาแตก") == [BRIDGE]
    assert find("คัดค้าน") == []


def test_the_texts_of_the_kpis_a_project_supports_are_searched(find: Find) -> None:
    project = make_project(code=BRIDGE, name="โครงการหนึ่ง")
    make_kpi(
        agency=project.agency,
        projects=(project,),
        text="ร้อยละของครัวเรือนที่คัดแยกขยะ",
        definition="ครัวเรือนในเขตที่ร่วมโครงการ",
    )
    index_all()
    assert find("คัดแยกขยะ") == [BRIDGE]
    assert find("ร่วมโครงการ") == [BRIDGE]
