"""Positions in percent of a box as class names of a static style sheet, not style attributes.

The Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) allows no inline style, and a
`style="left:12.34%"` attribute is one. The step timeline and the labels of a printed chart
place their marks in percent of their box; they name a class per position instead, rounded to
a tenth of a percent (under a pixel on a 1280 px page, a fifth of a millimetre on A4), from
static/css/positions.css, which every page loads. That file is written by this module:
`python -m tidtam.lib.positions > static/css/positions.css` (a test checks it is current).

A PDF holds only the rules its document uses (`inline_used`): WeasyPrint, which no
Content-Security-Policy binds, would otherwise parse and match all of the file's 3,003 rules
for every document (about 0.3 s each; a report book is laid out in a score of parts).
"""

from __future__ import annotations

import re

# The class prefix of each property a position may set.
PROPERTIES = {"left": "pl", "width": "pw", "bottom": "pb"}
# Positions go from 0 to 100 percent in steps of 1 / STEPS_PER_PERCENT.
STEPS_PER_PERCENT = 10


def position(**percents: float) -> str:
    """The class names that place a box at these percents of its container, e.g.
    `position(left=12.34, width=5)` is "pl-123 pw-50". Percents outside 0-100 are clamped."""
    names = []
    for prop, percent in percents.items():
        step = round(min(max(percent, 0.0), 100.0) * STEPS_PER_PERCENT)
        names.append(f"{PROPERTIES[prop]}-{step}")
    return " ".join(names)


# A class name of a position, wherever it stands in a document (an extra match in text only adds
# a rule that nothing uses).
_USED = re.compile(r"(?<![\w-])(" + "|".join(PROPERTIES.values()) + r")-(\d{1,4})(?![\w-])")
# The link to the whole style sheet, as the print templates write it ({% static %}: a hashed
# name in production).
_LINK = re.compile(r'<link rel="stylesheet" href="[^"]*/css/positions(?:\.[0-9a-f]+)?\.css">')


def rules_for(html: str) -> str:
    """The rules of static/css/positions.css for the position classes `html` names."""
    prop_of = {prefix: prop for prop, prefix in PROPERTIES.items()}
    used = sorted({(m[1], int(m[2])) for m in _USED.finditer(html)})
    return "".join(
        f".{prefix}-{step}{{{prop_of[prefix]}:{step / STEPS_PER_PERCENT:g}%}}"
        for prefix, step in used
        if step <= 100 * STEPS_PER_PERCENT
    )


def inline_used(html: str) -> str:
    """`html` with its link to static/css/positions.css replaced by a <style> element of the
    rules it uses: for WeasyPrint only (a browser's page would break the CSP)."""
    return _LINK.sub(lambda _: f"<style>{rules_for(html)}</style>", html, count=1)


def stylesheet() -> str:
    """static/css/positions.css: one rule per property and step."""
    lines = [
        "/* Written by tidtam/lib/positions.py: python -m tidtam.lib.positions"
        " > static/css/positions.css */"
    ]
    for prop, prefix in PROPERTIES.items():
        for step in range(100 * STEPS_PER_PERCENT + 1):
            percent = f"{step / STEPS_PER_PERCENT:g}"
            lines.append(f".{prefix}-{step}{{{prop}:{percent}%}}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(stylesheet(), end="")
