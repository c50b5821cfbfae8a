from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tidtam.indicators.actions import ScaleLoaded, load_default_scale
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.orgs.actions import load_agencies
from tidtam.projects.models import FiscalYear
from tidtam.strategy.actions import ensure_bma_plan, load_plan_nodes

# The city's own data set; another city points --dir at files of the same shape.
DEFAULT_DIR = Path(settings.BASE_DIR) / "reference"
FIRST_FISCAL_YEAR = 2556


class Command(BaseCommand):
    help = (
        "Load reference data (agencies, district groups, the 20-year plan, fiscal years, and "
        "a default rating scale and KPI evaluation criteria where none are set)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"]
        agencies_csv = directory / "agencies.csv"
        plan_csv = directory / "bma_plan_2556_2575.csv"
        scale_csv = directory / "rating_scale.csv"
        criteria_csv = directory / "evaluation_criteria.csv"
        for path in (agencies_csv, plan_csv):
            if not path.exists():
                raise CommandError(f"ไม่พบไฟล์ / not found: {path}")
        try:
            with transaction.atomic():
                agencies = load_agencies(agencies_csv)
                nodes = load_plan_nodes(plan_csv, plan=ensure_bma_plan())
                # Optional: another city's directory may leave the scale to its administrator.
                scale = (
                    load_default_scale(scale_csv, criteria_csv)
                    if scale_csv.exists() and criteria_csv.exists()
                    else ScaleLoaded()
                )
                for year in range(FIRST_FISCAL_YEAR, fiscal_year_of(date.today()) + 2):
                    FiscalYear.ensure(year)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"agencies created {agencies.created}, updated {agencies.updated}; "
            f"plan nodes created {nodes.created}, updated {nodes.updated}; "
            f"rating levels created {scale.levels}, evaluation criteria created {scale.criteria}"
        )
