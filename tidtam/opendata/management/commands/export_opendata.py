"""Write a fiscal year's open-data package (a Frictionless Data Package) to a folder or a ZIP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from tidtam.opendata.package import NO_PROJECTS, filename, write_folder, write_zip
from tidtam.opendata.tables import public_scope


class Command(BaseCommand):
    help = (
        "Write the open-data package of a fiscal year (Buddhist Era): its published projects, "
        "plan steps, approved monthly reports, KPIs with approved quarterly results and "
        "standings, as the public sees them. --output names a folder, or a file ending in "
        ".zip; without it, tidtam-opendata-<year>.zip in the current folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fiscal-year", type=int, required=True, dest="fiscal_year")
        parser.add_argument("--output", help="a folder, or a file ending in .zip")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["fiscal_year"]
        scope = public_scope(year)
        if scope is None or not scope.projects.exists():
            raise CommandError(gettext(NO_PROJECTS) % {"year": year})
        output = Path(options["output"] or filename(year))
        if output.suffix.lower() == ".zip":
            if output.is_dir():
                raise CommandError(f"{output} is a folder; name a file ending in .zip")
            output.parent.mkdir(parents=True, exist_ok=True)
            write_zip(scope, output)
        else:
            if output.exists() and not output.is_dir():
                raise CommandError(f"{output} is a file; name a folder or a file ending in .zip")
            output.mkdir(parents=True, exist_ok=True)
            write_folder(scope, output)
        count = scope.projects.count()
        self.stdout.write(f"open data of fiscal year {year}: {count} projects written to {output}")
