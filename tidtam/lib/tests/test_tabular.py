import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from tidtam.lib.tabular import BOM, Column, Table, csv_chunks, neutralise, write_xlsx

COLUMNS = [
    Column("name", _("Name"), "text"),
    Column("year", _("Fiscal year"), "int"),
    Column("variance", "Variance", "decimal"),
    Column("planned", "Planned", "percent"),
    Column("budget", "Budget", "baht"),
    Column("reported", "Reported on", "date"),
    Column("sample", _("Sample data"), "bool"),
]
ROWS = [
    ("=HYPERLINK(\"http://evil\",\"x\")", 2563, Decimal("-5.25"), Decimal("45.50"),
     Decimal("1250000.00"), date(2020, 2, 19), True),
    ("+1", 2563, None, None, None, None, False),
    ("ถนนสายหลัก", 2563, Decimal("0"), Decimal("100"), Decimal("0"), date(2019, 10, 1), None),
]  # fmt: skip


def table(rows=ROWS) -> Table:
    return Table("Projects", COLUMNS, rows)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode())))


def read_xlsx(t: Table, lang: str = "th") -> list[tuple]:
    out = io.BytesIO()
    write_xlsx(t, out, lang=lang)
    out.seek(0)
    return list(load_workbook(out).active.iter_rows(values_only=True))


def test_formula_text_is_prefixed_with_an_apostrophe():
    for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(text) == "'" + text
    assert neutralise("ถนน =1") == "ถนน =1"


def test_csv_starts_with_a_bom_and_has_thai_headers():
    rows = read_csv(b"".join(csv_chunks(table(), lang="th")))
    assert rows[0] == [
        "ชื่อ",
        "ปีงบประมาณ",
        "Variance",
        "Planned",
        "Budget",
        "Reported on",
        "Reported on (ISO, ค.ศ.)",
        "ข้อมูลตัวอย่าง",
    ]


def test_csv_headers_are_english_when_english_is_chosen():
    rows = read_csv(b"".join(csv_chunks(table(), lang="en")))
    assert rows[0][0] == "Name"
    assert rows[0][-1] == "Sample data"


def test_csv_writes_dates_in_buddhist_era_and_iso_and_neutralises_formulas():
    rows = read_csv(b"".join(csv_chunks(table(), lang="th")))
    assert rows[1] == [
        '\'=HYPERLINK("http://evil","x")',
        "2563",
        "-5.25",
        "45.50",
        "1250000.00",
        "19/2/2563",
        "2020-02-19",
        "ใช่",
    ]
    assert rows[2] == ["'+1", "2563", "", "", "", "", "", "ไม่ใช่"]
    assert rows[3][0] == "ถนนสายหลัก"


def test_csv_in_english_writes_common_era_dates():
    rows = read_csv(b"".join(csv_chunks(table(), lang="en")))
    assert rows[1][5:8] == ["19/2/2020", "2020-02-19", "yes"]


def test_csv_streams_a_generator_in_chunks():
    def many():
        for n in range(1200):
            yield (f"p{n}", n, None, None, None, None, False)

    chunks = list(csv_chunks(table(many()), lang="en"))
    assert len(chunks) == 4  # the header, then 500 + 500 + 200 rows
    assert len(read_csv(b"".join(chunks))) == 1201


def test_xlsx_has_numbers_dates_and_neutralised_text():
    rows = read_xlsx(table())
    assert rows[0] == (
        "ชื่อ",
        "ปีงบประมาณ",
        "Variance",
        "Planned",
        "Budget",
        "Reported on",
        "Reported on (ISO, ค.ศ.)",
        "ข้อมูลตัวอย่าง",
    )
    first = rows[1]
    assert first[0] == '\'=HYPERLINK("http://evil","x")'
    assert first[1] == 2563
    assert first[2] == pytest.approx(-5.25)
    assert first[3] == pytest.approx(45.5)
    assert first[4] == pytest.approx(1250000)
    assert first[5] == "19/2/2563"
    assert first[6].date() == date(2020, 2, 19)
    assert first[7] == "ใช่"
    assert rows[2] == ("'+1", 2563, None, None, None, None, None, "ไม่ใช่")


def test_xlsx_formats_numbers_and_freezes_a_bold_header():
    out = io.BytesIO()
    write_xlsx(table(), out, lang="en")
    out.seek(0)
    sheet = load_workbook(out).active
    assert sheet.title == "Projects"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet["D2"].number_format == '0.00"%"'
    assert sheet["E2"].number_format == "#,##0.00"
    assert sheet["G2"].number_format == "yyyy-mm-dd"
    assert sheet["F2"].value == "19/2/2020"
    assert sheet.column_dimensions["A"].width > 12


def test_xlsx_reports_progress_per_chunk():
    advanced: list[int] = []

    class Counter:
        def advance(self, k: int) -> None:
            advanced.append(k)

    rows = [(f"p{n}", n, None, None, None, None, False) for n in range(700)]
    write_xlsx(table(rows), io.BytesIO(), lang="th", progress=Counter())
    assert advanced == [500, 200]


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("x", "X", "money")  # type: ignore[arg-type]
