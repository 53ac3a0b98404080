from django.db import migrations


def load(apps, schema_editor):
    from assessments.defaults import load_default_standard

    load_default_standard(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
