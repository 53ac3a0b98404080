from django.db import migrations


def load(apps, schema_editor):
    from linkage.defaults import load_default_policy

    load_default_policy(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0001_initial"),
        ("units", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
