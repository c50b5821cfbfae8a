"""A history row keeps a language-neutral event and the person's comment, whole; the trail
translates the event for its reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from tidtam.audit import write
from tidtam.audit.history import notes_of
from tidtam.audit.models import AuditNote, Event, event_label
from tidtam.projects.models import PlanStep
from tidtam.test import make_project, make_user

pytestmark = pytest.mark.django_db


def _step() -> PlanStep:
    return PlanStep(
        project=make_project(),
        order=1,
        text="สำรวจ",
        weight=Decimal(40),
        start=date(2019, 10, 1),
        end=date(2019, 10, 31),
    )


def test_an_event_is_stored_as_its_code_and_the_comment_whole_beside_it() -> None:
    comment = "ผู้รับจ้างขอขยายเวลาเนื่องจากน้ำท่วมพื้นที่ก่อสร้าง " * 60
    step = write.save(_step(), by=make_user(), event=Event.REBASELINED, comment=comment)

    row = step.history.get()
    assert row.history_change_reason == "rebaselined"
    assert notes_of([row]) == {(row._meta.label_lower, row.history_id): comment.strip()}
    with translation.override("en"):
        assert event_label(row.history_change_reason) == "re-baselined"
    with translation.override("th"):
        assert event_label(row.history_change_reason) == "ปรับแผนฐาน"


def test_a_reason_too_long_for_its_column_is_kept_whole_as_the_comment() -> None:
    reason = "ย้ายไปสังกัดสำนักการโยธาตามคำสั่งแต่งตั้งเลขที่ 123/2567 " * 5
    step = write.save(_step(), by=None, reason=reason)

    row = step.history.get()
    assert row.history_change_reason is None
    assert AuditNote.objects.get(history_id=row.history_id).comment == reason.strip()
    # A label that is no event reads as it was written.
    assert event_label("legacy import: page.txt") == "legacy import: page.txt"


def test_a_deletion_keeps_its_event_and_comment() -> None:
    step = write.save(_step(), by=None)
    pk = step.pk
    write.delete(step, by=None, event=Event.DRAFT_DELETED, comment="ซ้ำกับขั้นตอนอื่น")

    row = PlanStep.history.filter(id=pk, history_type="-").get()
    assert row.history_change_reason == "draft_deleted"
    assert notes_of([row]) == {(row._meta.label_lower, row.history_id): "ซ้ำกับขั้นตอนอื่น"}
