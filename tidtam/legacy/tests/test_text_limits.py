"""A legacy page with a text longer than Tidtam keeps is refused, naming the file, the line and
the field; nothing of it is written."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tidtam.legacy.load import import_paths
from tidtam.legacy.tests.test_import import row_counts
from tidtam.lib import limits
from tidtam.test import seed_path

NARRATIVE_LINE = 47  # 19/2/2563 : อยู่ระหว่างขั้นตอน... (the newest report of seed 2457)


@pytest.mark.django_db
def test_a_page_with_a_narrative_past_the_limit_is_refused_naming_file_line_and_field(
    tmp_path: Path,
) -> None:
    call_command("load_reference", stdout=StringIO())
    lines = seed_path("03000000-2457").read_text(encoding="utf-8").split("\n")
    assert lines[NARRATIVE_LINE - 1].startswith("19/2/2563 :")
    lines[NARRATIVE_LINE - 1] += " " + "ก" * limits.NARRATIVE
    page = tmp_path / "long.txt"
    page.write_text("\n".join(lines), encoding="utf-8")
    before = row_counts()
    summary = import_paths([page])
    assert row_counts() == before
    [rejection] = summary.rejected
    assert rejection.field == "reports.narrative"
    assert rejection.line is not None and rejection.line <= NARRATIVE_LINE
    assert f"{limits.NARRATIVE:,}" in rejection.message
    assert "long.txt" in str(rejection)
