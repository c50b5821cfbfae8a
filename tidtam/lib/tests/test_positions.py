"""Positions as classes of static/css/positions.css (no style attributes under the policy)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from tidtam.lib.positions import inline_used, position, rules_for, stylesheet

POSITIONS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "positions.css"


def test_a_position_names_a_class_per_property_rounded_to_a_tenth_of_a_percent() -> None:
    assert position(left=12.34, width=5) == "pl-123 pw-50"
    assert position(bottom=99.96) == "pb-1000"
    assert position(left=0) == "pl-0"


def test_a_position_off_the_box_is_clamped_to_its_edge() -> None:
    assert position(left=-3.2, width=140) == "pl-0 pw-1000"


def test_the_style_sheet_has_a_rule_for_every_class_a_position_names() -> None:
    css = stylesheet()
    for name in position(left=12.34, width=100, bottom=0.05).split():
        assert f".{name}{{" in css, name
    assert ".pl-123{left:12.3%}" in css and ".pw-1000{width:100%}" in css
    assert ".pb-1{bottom:0.1%}" in css


def test_the_static_style_sheet_is_the_one_the_module_writes() -> None:
    assert POSITIONS_CSS.read_text(encoding="utf-8") == stylesheet(), (
        "static/css/positions.css is out of date: "
        "python -m tidtam.lib.positions > static/css/positions.css"
    )


def test_a_pdf_gets_only_the_rules_its_document_uses_each_as_the_style_sheet_has_it() -> None:
    html = (
        '<head><link rel="stylesheet" href="/static/css/positions.3f2a9c.css"></head>'
        '<span class="chart-label pl-62 pb-940"></span><i class="pw-1000 pl-62"></i>'
        '<p class="nopl-5">pl-x</p>'
    )
    assert rules_for(html) == ".pb-940{bottom:94%}.pl-62{left:6.2%}.pw-1000{width:100%}"
    css = stylesheet()
    for rule in rules_for(html).replace("}", "}\n").split():
        assert rule in css
    pdf_html = inline_used(html)
    assert "positions.3f2a9c.css" not in pdf_html
    assert "<style>.pb-940{bottom:94%}.pl-62{left:6.2%}.pw-1000{width:100%}</style>" in pdf_html
    # A page without the link (the browser's print view keeps its link) is left as it is.
    assert inline_used("<p class='pl-5'></p>") == "<p class='pl-5'></p>"
