"""The reasons history rows were given before events: translated at the time of writing
(in Thai, or in English for a reader who used it), a returned report's comment cut to fit.
Each known reason becomes its event code, translated when read; a return's comment is kept
whole as its note, from the row's own review comment. Any other reason stays as it was
written, and is shown as it is."""

from django.db import migrations

# (English, Thai) as the code wrote them, by event.
KNOWN = {
    "approved": ("approved", "อนุมัติแล้ว"),
    "submitted": ("submitted for review", "ส่งให้ตรวจ"),
    "result_entered": ("quarterly result entered", "บันทึกผลงานรายไตรมาส"),
    "draft_deleted": ("draft deleted", "ลบฉบับร่าง"),
    "resolved": ("resolved", "แก้ไขแล้ว"),
    "reopened": ("reopened", "เปิดใหม่"),
    "raised_by_mistake": ("removed: raised by mistake", "ลบ: บันทึกผิดพลาด"),
    "created": ("created", "สร้าง"),
    "quarter_closed": ("quarter closed", "ปิดไตรมาส"),
    "evaluated": ("quarterly evaluation", "ประเมินผลรายไตรมาส"),
    "plan_changed": ("operating plan changed", "แก้ไขแผนปฏิบัติงาน"),
}
RETURNED = ("returned: ", "ส่งกลับ: ")


def _histories(apps):
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        if model.__name__.startswith("Historical") and "history_change_reason" in names:
            yield model, names


def forwards(apps, schema_editor):
    note = apps.get_model("audit", "AuditNote")
    for history, names in _histories(apps):
        for code, texts in KNOWN.items():
            history.objects.filter(history_change_reason__in=texts).update(
                history_change_reason=code
            )
        notes = []
        for prefix in RETURNED:
            for row in history.objects.filter(history_change_reason__startswith=prefix):
                comment = (getattr(row, "review_comment", "") if "review_comment" in names else "")
                comment = comment or row.history_change_reason[len(prefix) :]
                notes.append(
                    note(
                        history_model=history._meta.label_lower,
                        history_id=row.history_id,
                        comment=comment,
                    )
                )
                row.history_change_reason = "returned"
                row.save(update_fields=["history_change_reason"])
        note.objects.bulk_create(notes, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_notes"),
        ("accounts", "0005_bounded_free_texts"),
        ("orgs", "0004_field_names_in_thai"),
        ("strategy", "0003_field_names_in_thai"),
        ("projects", "0008_bounded_free_texts"),
        ("reporting", "0007_bounded_free_texts"),
        ("indicators", "0009_result_version_and_review_time"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
