from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tidtam.demo import load
from tidtam.demo.generate import contacts, fiscal_years, generate_year, projects_per_year
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.standing.refresh import refresh_standings


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today must be a date such as 2026-12-02, not {text!r}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate synthetic sample data on the reference data (load_reference first): N "
        "projects over the Y fiscal years ending with the current one, across all agencies, "
        "with operating plans, monthly reports up to today, problems, budgets and "
        "instalments, KPIs with quarterly results and scores, and quarterly evaluations. Every "
        "record is marked as sample data. The same seed gives the same data. A fiscal year "
        "that has sample projects already is skipped; --replace deletes its sample data and "
        "makes it again. Records are written in bulk without history rows: nobody made them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=_positive, default=300, help="projects in all")
        parser.add_argument("--years", type=_positive, default=1, help="fiscal years")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", type=_day, help="generate as if today were this date")
        parser.add_argument(
            "--replace", action="store_true", help="make years that have sample data again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        today: date = options["today"] or timezone.localdate()
        seed: int = options["seed"]
        years = fiscal_years(options["years"], fiscal_year_of(today))
        counts = projects_per_year(options["projects"], years)
        reference = load.reference()
        if not reference.agencies or not reference.plan_nodes:
            raise CommandError("no reference agencies or plan: run manage.py load_reference first")
        pool = contacts(reference, seed)
        people = load.ensure_people(pool)
        existing = load.years_with_samples(years)
        total = load.Written()
        made = []
        for year in years:
            if year in existing and not options["replace"]:
                self.stdout.write(
                    f"fiscal year {year}: has {existing[year]:,} sample projects already, "
                    "skipped (--replace makes them again)"
                )
                continue
            began = time.perf_counter()
            try:
                sample = generate_year(
                    reference, seed=seed, year=year, count=counts[year], today=today, people=pool
                )
                generated = time.perf_counter()
                written = load.write_year(sample, people=people, replace=year in existing)
            except ValueError as error:
                raise CommandError(str(error)) from error
            rows = written.rows
            self.stdout.write(
                f"fiscal year {year}: {rows.get('projects', 0):,} projects, "
                f"{rows.get('reports', 0):,} reports, {rows.get('KPIs', 0):,} KPIs "
                f"(generated in {generated - began:.1f} s, "
                f"written in {time.perf_counter() - generated:.1f} s)"
            )
            total.add(written)
            made.append(year)
        if made:
            began = time.perf_counter()
            load.analyze()
            analyzed = time.perf_counter()
            _refresh(made)
            refreshed = time.perf_counter()
            # Again, for the standings just written: without their statistics SQLite sorts
            # every standing of every year to list the first by a figure.
            load.analyze()
            self.stdout.write(
                f"planner statistics updated in {analyzed - began:.1f} s, "
                f"standings refreshed in {refreshed - analyzed:.1f} s, "
                f"their statistics in {time.perf_counter() - refreshed:.1f} s"
            )
        for table, count in total.rows.items():
            self.stdout.write(f"  {table}: {count:,}")
        self.stdout.write(
            f"sample data: {len(made)} fiscal year(s) made, {len(years) - len(made)} skipped, "
            f"in {time.perf_counter() - started:.1f} s"
        )


def _refresh(fiscal_years: list[int]) -> None:
    """Bring the stored standing of the new projects up to date: the bulk writes above skip
    the actions, so the refresh is explicit."""
    refresh_standings(fiscal_years=fiscal_years)
