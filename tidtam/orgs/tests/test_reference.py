import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tidtam.orgs.models import Agency, AgencyKind, DistrictGroup, Origin
from tidtam.projects.models import FiscalYear
from tidtam.strategy.models import PlanNode

REFERENCE = Path(settings.BASE_DIR) / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_load_reference_loads_every_agency_group_and_plan_node() -> None:
    call_command("load_reference", stdout=StringIO())
    agencies = rows("agencies.csv")
    assert Agency.objects.count() == len(agencies)
    assert DistrictGroup.objects.count() == len({r["district_group"] for r in agencies} - {""})
    assert Agency.objects.filter(kind=AgencyKind.DISTRICT_OFFICE).count() == 50
    bang_khen = Agency.objects.get(code="50120000")
    assert bang_khen.district_group is not None
    assert bang_khen.district_group.name_th == "กลุ่มกรุงเทพเหนือ"
    assert PlanNode.objects.count() == len(rows("bma_plan_2556_2575.csv"))
    objective = PlanNode.objects.get(code="5.3.1.2")
    assert objective.parent is not None and objective.parent.code == "5.3.1"
    assert objective.level.name_th == "เป้าประสงค์"
    assert objective.complete is False
    assert PlanNode.objects.get(code="5").name_en == "Bangkok as a Democratic City"
    assert FiscalYear.objects.filter(year=2563).exists()
    assert FiscalYear.objects.get(year=2563).quarters.count() == 4


@pytest.mark.django_db
def test_load_reference_twice_changes_nothing() -> None:
    call_command("load_reference", stdout=StringIO())
    counts = (Agency.objects.count(), PlanNode.objects.count(), Agency.history.count())
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert (Agency.objects.count(), PlanNode.objects.count(), Agency.history.count()) == counts
    assert "created 0, updated 0" in out.getvalue()


@pytest.mark.django_db
def test_load_reference_takes_over_an_agency_first_met_in_an_import() -> None:
    Agency.objects.create(
        code="03000000",
        name_th="สํานักงาน ก.ก.",
        name_key="x",
        kind="department",
        origin=Origin.IMPORT,
    )
    call_command("load_reference", stdout=StringIO())
    agency = Agency.objects.get(code="03000000")
    assert agency.origin == Origin.REFERENCE
    assert agency.name_th == "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร"


@pytest.mark.django_db
def test_load_reference_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"agencies\.csv"):
        call_command("load_reference", "--dir", str(tmp_path), stdout=StringIO())


def _scale_rows() -> list[dict[str, str]]:
    return rows("rating_scale.csv")


@pytest.mark.django_db
def test_a_fresh_install_gets_the_default_rating_scale_and_criteria_once() -> None:
    from tidtam.indicators.models import EvaluationCriterion, RatingLevel

    call_command("load_reference", stdout=StringIO())
    levels = {f"{level.value:.0f}": level.label_th for level in RatingLevel.objects.all()}
    assert levels == {r["value"]: r["label_th"] for r in _scale_rows()}
    assert RatingLevel.history.filter(history_change_reason__contains="rating_scale.csv").exists()
    assert sorted(EvaluationCriterion.objects.values_list("code", flat=True)) == ["2.1", "2.2"]
    # The administrator's own scale is kept: loading again adds nothing and changes nothing.
    RatingLevel.objects.filter(value=75).delete()
    RatingLevel.objects.filter(value=100).update(label_th="ดีเยี่ยม")
    call_command("load_reference", stdout=StringIO())
    assert RatingLevel.objects.count() == len(_scale_rows()) - 1
    assert RatingLevel.objects.get(value=100).label_th == "ดีเยี่ยม"


@pytest.mark.django_db
def test_a_bad_rating_scale_names_its_line_and_loads_nothing(tmp_path: Path) -> None:
    from tidtam.indicators.models import RatingLevel

    for name in ("agencies.csv", "bma_plan_2556_2575.csv", "evaluation_criteria.csv"):
        (tmp_path / name).write_bytes((REFERENCE / name).read_bytes())
    (tmp_path / "rating_scale.csv").write_text(
        "value,label_th,label_en,meaning_th\n100,ดี,Good,\nมาก,ดีมาก,Very good,\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"rating_scale\.csv บรรทัดที่ 3"):
        call_command("load_reference", "--dir", str(tmp_path), stdout=StringIO())
    assert not RatingLevel.objects.exists()
    assert not Agency.objects.exists()  # one transaction: nothing half loaded
