"""The longest text each free-text field may hold, in characters: the one place these limits
are written.

Every limit is enforced three times: in the model (the field's max_length, a validator and a
database CheckConstraint, see `bounded_text` and `length_check`), in the forms (the browser's
maxlength stops the typing, and the form says what is wrong) and in the actions
(`audit.write.save` refuses a longer value of any field with a max_length, with a message
naming the field), so the API and the legacy importer meet them too. The importer refuses a
page with a longer text before loading it, naming the file, the line and the field.

The limits come from the domain, with room above the longest texts of the legacy pages (the
seeds): a rationale of 1,500 characters, a monthly narrative of 1,650, a target of 580, a
problem of 230.

| limit      | characters | fields                                                         |
|------------|-----------:|----------------------------------------------------------------|
| NAME       |        500 | names and titles (project, plan node), as the CharFields were  |
| LINE       |      2,000 | one item of a list: a plan step, a KPI's wording; a short      |
|            |            | reason (re-baselining, an account change)                      |
| PARAGRAPH  |      5,000 | an objective or a target, a problem or obstacle, a reason for  |
|            |            | a lower figure, a review comment, a KPI's definition, method   |
|            |            | and data source, the meaning of a rating level                 |
| NARRATIVE  |     10,000 | what a monthly report or a quarterly KPI result says was done  |
| RATIONALE  |     20,000 | a project's rationale, its longest text                        |
| LIST       |     20,000 | a list typed one item a line (a project's objectives, its      |
|            |            | targets): each line is then an item of at most PARAGRAPH       |

The search index's texts (search.models) are derived from these fields, not typed: they are
not bounded here.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

NAME = 500
LINE = 2_000
PARAGRAPH = 5_000
NARRATIVE = 10_000
RATIONALE = 20_000
LIST = 20_000


def bounded_text(verbose_name: Any, limit: int, **kwargs: Any) -> models.TextField[Any, Any]:
    """A TextField of at most `limit` characters: its forms get the maxlength attribute and
    the length check; pair it with `length_check` in the model's constraints."""
    return models.TextField(
        verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs
    )


def length_check(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database's own guard on a bounded text (SQLite's length and PostgreSQL's
    char_length both count characters, as Python's len does)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def refuse_longer_rows(app_label: str, model_name: str, fields: dict[str, int]) -> Any:
    """A migration step run before the length checks are added: it stops the migration with
    the rows to shorten, by id, rather than let the database refuse the constraint with a
    bare integrity error. Nothing is cut: texts are records, and only a person may shorten
    them. (The legacy pages hold no text near these limits.)"""

    def check(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        problems = []
        for field, limit in fields.items():
            ids = list(
                model.objects.annotate(n=Length(field))
                .filter(n__gt=limit)
                .order_by("pk")
                .values_list("pk", flat=True)[:20]
            )
            if ids:
                problems.append(
                    f"{model._meta.db_table}.{field} longer than {limit} characters "
                    f"in rows {', '.join(map(str, ids))}"
                )
        if problems:
            raise RuntimeError(
                "Shorten these texts before migrating (see tidtam/lib/limits.py): "
                + "; ".join(problems)
            )

    return check
