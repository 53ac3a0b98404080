from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0003 so the check is added after its rows are filled and committed."""

    dependencies = [("linkage", "0003_policy_basis")]

    operations = [
        migrations.AddConstraint(
            model_name="policyrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("basis_document__regex", "^\\s*$"), _negated=True),
                    models.Q(("basis_article__regex", "^\\s*$"), _negated=True),
                ),
                name="policy_rule_has_basis",
                violation_error_message="每项联动措施须注明依据文件和条款。",
            ),
        ),
    ]
