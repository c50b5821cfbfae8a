from django.db import migrations

# The kinds of problems officers of the old site wrote about most; the administrator keeps
# the list from here on.
DEFAULTS = [
    ("เงินประจำงวดล่าช้า", "Budget instalment delay"),
    ("การจัดซื้อจัดจ้าง", "Procurement"),
    ("การขออนุมัติ", "Approval"),
    ("โรคระบาด", "Epidemic"),
    ("สภาพอากาศ", "Weather"),
    ("อื่น ๆ", "Other"),
]


def add_defaults(apps, schema_editor):
    ProblemCategory = apps.get_model("reporting", "ProblemCategory")
    for order, (name_th, name_en) in enumerate(DEFAULTS, 1):
        ProblemCategory.objects.get_or_create(
            name_th=name_th, defaults={"name_en": name_en, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_review_problems_attachments_calendar")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
