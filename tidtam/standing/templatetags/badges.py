"""`{{ project|sample_badge }}` (or a KPI's), `{{ project.standing|standing_badge }}` and
`{{ report|review_badge }}`: the badges shown beside a project or a report wherever it
appears. Builtins: templates need no `{% load %}`.

Filters rather than included templates: a list shows fifty of each, and each include cost
about as much as the rest of its row.
"""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tidtam.standing.models import StandingStatus

register = template.Library()


@register.filter
def sample_badge(record: object) -> str:
    """Synthetic data made by generate_demo is badged wherever the project or KPI appears."""
    if not getattr(record, "is_sample", False):
        return ""
    if isinstance(record, Model) and record._meta.model_name == "kpi":
        title = _("Synthetic data made for demonstration and testing, not a real indicator")
    else:
        title = _("Synthetic data made for demonstration and testing, not a real project")
    return format_html(' <span class="badge sample" title="{}">{}</span>', title, _("Sample data"))


@register.filter
def standing_badge(standing: object) -> str:
    """The project's status as its standing has it; a dash before it has one."""
    status = getattr(standing, "status", None)
    if not status:
        return SafeString("—")
    return format_html(
        '<span class="status status-{}"><span class="badge">{}</span></span>',
        status,
        StandingStatus(status).label,
    )


@register.filter
def review_badge(record: object) -> str:
    """Where a monthly report or a KPI result stands in the review cycle (draft, submitted,
    approved, returned)."""
    return format_html(
        '<span class="badge report-{}">{}</span>',
        getattr(record, "status", ""),
        record.get_status_display(),  # type: ignore[attr-defined]
    )
