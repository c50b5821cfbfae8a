"""SARA AM typed as one character or as NIKHAHIT + SARA AA is one spelling: every path that
stores or matches an agency's name goes through the Thai normaliser, so the two spellings are
one agency, shown once."""

from __future__ import annotations

import html
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from tidtam.legacy.load import import_paths
from tidtam.orgs import actions
from tidtam.orgs.models import Agency, DistrictGroup, Origin
from tidtam.test import Personas, make_agency, make_project, seed_path

SARA_AM = "\u0e33"
TWO_POINTS = "\u0e4d\u0e32"  # NIKHAHIT + SARA AA, as old input methods typed SARA AM
ONE = "สำนักงานคณะกรรมการข้าราชการกรุงเทพมหานคร"
TWO = ONE.replace(SARA_AM, TWO_POINTS)
GROUP_ONE = "กลุ่มกรุงเทพกลาง"
GROUP_TWO = "กลุ่มกรุงเทพกลาง\u200b"  # a zero-width space pasted from a web page

pytestmark = pytest.mark.django_db


def write_csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "agencies.csv"
    path.write_text("code,name_th,kind,district_group\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_the_two_spellings_are_the_same_text_only_in_appearance() -> None:
    assert ONE != TWO and len(TWO) == len(ONE) + 1


def test_the_reference_loader_stores_one_spelling_and_one_district_group(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        f"03000000,{TWO},department,",
        f"50010000,เขตพระนคร,district_office,{GROUP_ONE}",
        f"50020000,เขตดุสิต,district_office,{GROUP_TWO}",
    )
    actions.load_agencies(path)
    agency = Agency.objects.get(code="03000000")
    assert (agency.name_th, agency.name_key) == (ONE, ONE)
    assert list(DistrictGroup.objects.values_list("name_th", flat=True)) == [GROUP_ONE]
    # Loading the other spelling again changes nothing.
    actions.load_agencies(write_csv(tmp_path, f"03000000,{ONE},department,"))
    assert Agency.history.filter(code="03000000").count() == 1


def test_an_agency_first_met_on_a_legacy_page_is_stored_in_the_one_spelling() -> None:
    agency = actions.ensure_agency(code="03000000", name=TWO, by=None, reason="legacy")
    assert (agency.name_th, agency.name_key, agency.origin) == (ONE, ONE, Origin.IMPORT)
    again = actions.ensure_agency(code="03000000", name=ONE, by=None, reason="legacy")
    assert again.pk == agency.pk and Agency.objects.count() == 1


def test_the_seed_page_spelt_in_two_code_points_shows_the_agency_name_once(
    client: Client,
) -> None:
    call_command("load_reference", stdout=StringIO())
    assert import_paths([seed_path("03000000-2457")]).rejected == []
    page = html.unescape(client.get("/projects/03000000-2457/").content.decode())
    header = page[page.index('<p class="agency">') :].split("</p>")[0]
    assert header.count(ONE) == 1
    assert TWO not in page


def test_a_source_name_that_truly_differs_is_still_shown_beside_the_agencys(
    client: Client, personas: Personas
) -> None:
    make_project(code="99990000-0001", agency_name_source="สํานักทดสอบเดิม")
    page = html.unescape(client.get("/projects/99990000-0001/").content.decode())
    assert "(สำนักทดสอบเดิม)" in page
    make_project(code="99990000-0002", agency_name_source="ส" + TWO_POINTS + "นักทดสอบเอ")
    page = html.unescape(client.get("/projects/99990000-0002/").content.decode())
    assert "(สำนักทดสอบเอ)" not in page and "นักทดสอบเอ)" not in page


def test_the_administrator_saving_an_agency_stores_the_one_spelling(
    client: Client, personas: Personas
) -> None:
    agency = make_agency("03000000", name_th=ONE, name_key=ONE)
    client.force_login(personas.administrator)
    personas.administrator.is_superuser = True
    personas.administrator.save()
    response = client.post(
        f"/admin/orgs/agency/{agency.pk}/change/",
        {
            "code": "03000000",
            "name_th": TWO,
            "name_en": "",
            "kind": "department",
            "district_group": "",
            "origin": "reference",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency.refresh_from_db()
    assert (agency.name_th, agency.name_key) == (ONE, ONE)


def test_the_migration_folds_names_stored_before_and_merges_their_groups() -> None:
    first = DistrictGroup.objects.create(name_th=GROUP_ONE)
    second = DistrictGroup.objects.create(name_th=GROUP_TWO)
    old = make_agency("03000000", name_th=TWO, name_key=TWO)
    district = make_agency("50020000", name_th="เขตดุสิต", name_key="เขตดุสิต", district_group=second)
    migration = import_module("tidtam.orgs.migrations.0003_fold_agency_names")
    migration.fold_names(apps, None)
    old.refresh_from_db()
    district.refresh_from_db()
    assert (old.name_th, old.name_key) == (ONE, ONE)
    assert district.district_group_id == first.pk
    assert list(DistrictGroup.objects.values_list("name_th", flat=True)) == [GROUP_ONE]
