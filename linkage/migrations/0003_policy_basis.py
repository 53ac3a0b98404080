from django.db import migrations, models


def fill_bases(apps, schema_editor):
    """Give every existing cell a category and basis, and every notice its cell's."""
    from linkage.defaults import default_basis

    PolicyRule = apps.get_model("linkage", "PolicyRule")
    Notice = apps.get_model("linkage", "Notice")
    rules = list(PolicyRule.objects.select_related("department"))
    for rule in rules:
        cell = default_basis(rule.result, rule.department.short_name, rule.measure)
        rule.category = cell.category
        rule.basis_document = cell.basis_document
        rule.basis_article = cell.basis_article
    PolicyRule.objects.bulk_update(
        rules, ["category", "basis_document", "basis_article"], batch_size=500
    )
    for rule in rules:
        Notice.objects.filter(
            policy_version_id=rule.version_id, result=rule.result, department_id=rule.department_id
        ).update(
            category=rule.category,
            basis_document=rule.basis_document,
            basis_article=rule.basis_article,
        )


class Migration(migrations.Migration):
    dependencies = [("linkage", "0002_default_policy")]

    operations = [
        migrations.AddField(
            model_name="policyrule",
            name="category",
            field=models.CharField(
                choices=[
                    ("incentive", "激励措施"),
                    ("restriction", "约束措施"),
                    ("notice", "仅作通报"),
                    ("review", "复核已采取的措施"),
                ],
                default="notice",
                max_length=12,
                verbose_name="措施类别",
            ),
        ),
        migrations.AddField(
            model_name="policyrule",
            name="basis_document",
            field=models.CharField(default="", max_length=200, verbose_name="依据文件"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="policyrule",
            name="basis_article",
            field=models.CharField(default="", max_length=100, verbose_name="条款"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notice",
            name="category",
            field=models.CharField(
                blank=True,
                choices=[
                    ("incentive", "激励措施"),
                    ("restriction", "约束措施"),
                    ("notice", "仅作通报"),
                    ("review", "复核已采取的措施"),
                ],
                max_length=12,
                verbose_name="措施类别",
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="basis_document",
            field=models.CharField(blank=True, max_length=200, verbose_name="依据文件"),
        ),
        migrations.AddField(
            model_name="notice",
            name="basis_article",
            field=models.CharField(blank=True, max_length=100, verbose_name="条款"),
        ),
        migrations.RunPython(fill_bases, migrations.RunPython.noop),
    ]
