"""One reader of a KPI's official quarterly figures, for the standing and the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tidtam.indicators.figures import official_figures
from tidtam.indicators.models import EvaluationCriterion
from tidtam.indicators.tests.factories import add_results, add_scores, make_kpi
from tidtam.standing.facts import load_kpis
from tidtam.test import Personas


@pytest.mark.django_db
def test_only_approved_results_count_and_scores_follow_the_criteria_order(
    personas: Personas,
) -> None:
    # Criterion 2.2 comes first by its order, though its code sorts after 2.1.
    EvaluationCriterion.objects.create(code="2.2", order=1)
    EvaluationCriterion.objects.create(code="2.1", order=2)
    kpi = make_kpi("9999-0001", agency=personas.agency_a)
    add_results(kpi, {1: ("40", "ไตรมาสแรก"), 2: (None, "ยังไม่วัด")})
    add_results(kpi, {3: ("90", "ร่าง")}, status="draft")
    add_scores(kpi, {(1, "2.1"): "3.5", (1, "2.2"): "4.0", (2, "2.1"): "2.0"})

    figures = official_figures([kpi.pk])[kpi.pk]

    assert figures.results == {1: Decimal(40), 2: None}
    assert list(figures.scores.items()) == [
        ((1, "2.2"), Decimal("4.0")),
        ((1, "2.1"), Decimal("3.5")),
        ((2, "2.1"), Decimal("2.0")),
    ]
    assert figures.criteria() == ["2.2", "2.1"]
    assert figures.scores_by_quarter() == {1: [Decimal("4.0"), Decimal("3.5")], 2: [Decimal(2)]}
    record = load_kpis([kpi.pk])[kpi.pk]
    assert (record.results, record.scores) == (figures.results, figures.scores_by_quarter())


@pytest.mark.django_db
def test_figures_of_many_kpis_take_two_queries_and_a_kpi_without_any_has_empty_figures(
    personas: Personas,
) -> None:
    kpis = [make_kpi(f"9999-{n:04}", agency=personas.agency_a) for n in range(1, 6)]
    for kpi in kpis[:4]:
        add_results(kpi, {1: ("10", "")})
        add_scores(kpi, {(1, "2.1"): "3"})

    with CaptureQueriesContext(connection) as queries:
        figures = official_figures([kpi.pk for kpi in kpis])

    assert len(queries) == 2
    assert [len(figures[kpi.pk].results) for kpi in kpis] == [1, 1, 1, 1, 0]
    assert figures[kpis[4].pk].scores == {}
    assert official_figures([]) == {}
