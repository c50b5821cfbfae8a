"""Audited writes on plan trees and the loader of a plan's reference file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tidtam.audit import write
from tidtam.audit.published import published_data_changed
from tidtam.audit.write import Actor, action
from tidtam.orgs.models import Origin
from tidtam.strategy.models import Plan, PlanLevel, PlanNode

# The city's 20-year development plan 2556–2575 and the names of its four levels.
BMA_PLAN = {
    "code": "bma-2556-2575",
    "name_th": "แผนพัฒนากรุงเทพมหานคร ระยะ 20 ปี (พ.ศ. 2556–2575)",
    "name_en": "Bangkok Metropolitan Administration 20-year development plan (2013–2032)",
    "first_year": 2556,
    "last_year": 2575,
}
BMA_LEVELS = [
    ("dimension", "ด้าน", "Dimension"),
    ("sub_dimension", "มิติ", "Sub-dimension"),
    ("goal", "เป้าหมาย", "Goal"),
    ("objective", "เป้าประสงค์", "Objective"),
]


@dataclass
class PlanLoadCounts:
    created: int = 0
    updated: int = 0


@action
def ensure_bma_plan(*, by: Actor = None) -> Plan:
    plan, created = Plan.objects.get_or_create(
        code=BMA_PLAN["code"], defaults={k: v for k, v in BMA_PLAN.items() if k != "code"}
    )
    if created:
        PlanLevel.objects.bulk_create(
            PlanLevel(plan=plan, depth=depth, key=key, name_th=th, name_en=en)
            for depth, (key, th, en) in enumerate(BMA_LEVELS, 1)
        )
    return plan


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


@action
def ensure_node(
    *,
    plan: Plan,
    code: str,
    level_key: str,
    name_th: str,
    name_en: str = "",
    complete: bool = True,
    origin: Origin,
    by: Actor,
    reason: str,
) -> PlanNode:
    """Find the node with this code or create it (with its missing ancestors' places kept open)."""
    node = PlanNode.objects.filter(plan=plan, code=code).first()
    if node is not None:
        return node
    parent_code = _parent_code(code)
    parent = PlanNode.objects.filter(plan=plan, code=parent_code).first() if parent_code else None
    return write.save(
        PlanNode(
            plan=plan,
            level=plan.levels.get(key=level_key),
            parent=parent,
            code=code,
            sort_key=PlanNode.sort_key_for(code),
            name_th=name_th,
            name_en=name_en,
            complete=complete,
            origin=origin,
        ),
        by=by,
        reason=reason,
    )


@action
def load_plan_nodes(path: Path, *, plan: Plan, by: Actor = None) -> PlanLoadCounts:
    """Load a plan file (code, level, name_th, name_en, complete); idempotent."""
    published_data_changed()  # the pages name plan nodes
    counts = PlanLoadCounts()
    reason = f"reference data: {path.name}"
    levels = {level.key: level for level in plan.levels.all()}
    nodes = {node.code: node for node in plan.nodes.all()}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: PlanNode.sort_key_for(r["code"]))
    for row in rows:
        code = row["code"].strip()
        values = {
            "level": levels[row["level"].strip()],
            "parent": nodes.get(_parent_code(code) or ""),
            "name_th": row["name_th"].strip(),
            "name_en": (row.get("name_en") or "").strip(),
            "complete": (row.get("complete") or "yes").strip().lower() != "no",
            "origin": Origin.REFERENCE,
        }
        node = nodes.get(code)
        if node is None:
            nodes[code] = write.save(
                PlanNode(plan=plan, code=code, sort_key=PlanNode.sort_key_for(code), **values),
                by=by,
                reason=reason,
            )
            counts.created += 1
        elif write.assign(node, values):
            write.save(node, by=by, reason=reason)
            counts.updated += 1
    # Nodes first met in imported pages may have arrived before their parents were listed.
    for node in nodes.values():
        parent = nodes.get(_parent_code(node.code) or "")
        if parent is not None and node.parent_id != parent.pk:
            node.parent = parent
            write.save(node, by=by, reason=reason)
    return counts
