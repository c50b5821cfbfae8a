from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from tidtam.orgs.models import Agency
from tidtam.planimport.layout import MAX_FILE_BYTES
from tidtam.planimport.load import import_file, located


class Command(BaseCommand):
    help = (
        "Import an agency's annual plan from the template's workbook (XLSX, or a ZIP of its "
        "CSV files): all of it or nothing; --dry-run only lists the problems."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The agency's budget code.")
        parser.add_argument(
            "--fiscal-year", required=True, type=int, help="Buddhist Era, e.g. 2568."
        )
        parser.add_argument("--by", required=True, help="The username the history names.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ / not found: {path}")
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"ไม่พบหน่วยงาน / no agency {options['agency']}")
        by = get_user_model().objects.filter(username=options["by"], is_active=True).first()
        if by is None:
            raise CommandError(f"ไม่พบผู้ใช้ / no active user {options['by']}")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        report = import_file(
            data=data,
            agency=agency,
            fiscal_year=options["fiscal_year"],
            by=by,
            source=path.name,
            commit=not options["dry_run"],
        )
        for p in located(report.problems):
            where = ", ".join(str(part) for part in (p.sheet, p.row, p.column) if part)
            self.stderr.write(f"{where}: {p.message}" if where else p.message)
        self.stdout.write(
            _(
                "projects created %(created)s, updated %(updated)s; steps %(steps)s; KPIs "
                "created %(kpis_created)s, updated %(kpis_updated)s; problems %(problems)s"
            )
            % {
                "created": report.projects_created,
                "updated": report.projects_updated,
                "steps": report.steps,
                "kpis_created": report.kpis_created,
                "kpis_updated": report.kpis_updated,
                "problems": len(report.problems),
            }
        )
        if report.problems:
            raise CommandError(_("Nothing was imported."), returncode=1)
        if not report.committed:
            self.stdout.write(_("Dry run: nothing was written."))
