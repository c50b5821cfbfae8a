"""Agency and district-group names stored as their sources spelt them (SARA AM typed as
NIKHAHIT + SARA AA, zero-width spaces) are folded to the one spelling the loaders now store;
district groups that differed only in that spelling become one group."""

from django.db import migrations

from tidtam.lib.thai import fold_thai, normalise_thai


def fold_names(apps, schema_editor):
    Agency = apps.get_model("orgs", "Agency")
    DistrictGroup = apps.get_model("orgs", "DistrictGroup")
    kept = {}
    for group in DistrictGroup.objects.order_by("pk"):
        name = fold_thai(group.name_th)
        if name in kept:
            Agency.objects.filter(district_group=group).update(district_group=kept[name])
            group.delete()
        else:
            kept[name] = group
    for name, group in kept.items():
        if group.name_th != name:
            group.name_th = name
            group.save(update_fields=["name_th"])
    for agency in Agency.objects.only("pk", "name_th", "name_key"):
        name, key = fold_thai(agency.name_th), normalise_thai(agency.name_th)
        if (agency.name_th, agency.name_key) != (name, key):
            Agency.objects.filter(pk=agency.pk).update(name_th=name, name_key=key)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_sample_origin")]

    operations = [migrations.RunPython(fold_names, migrations.RunPython.noop)]
