"""Re-rating after rectification (docs/decisions/0104): the request links a published result
to the application that evaluates it again. A re-rating result is a second result of the same
cycle, so the unit+cycle uniqueness moves to the applications (one annual, one re-rating), and
the supersede trigger of migration 0005 also marks the re-rated result superseded when the
re-rating result is inserted: the database keeps ``Rating.current()`` right on every path."""

import django.db.models.deletion
from importlib import import_module

from django.conf import settings
from django.db import migrations, models

SUPERSEDE = """
CREATE OR REPLACE FUNCTION ratings_rating_supersede() RETURNS trigger AS $$
DECLARE
    new_year integer;
BEGIN
    SELECT year INTO new_year FROM assessments_cycle WHERE id = NEW.cycle_id;
    UPDATE ratings_rating AS older SET superseded_on = NEW.published_on
      FROM assessments_cycle AS cycle
     WHERE older.unit_id = NEW.unit_id AND older.superseded_on IS NULL
       AND cycle.id = older.cycle_id AND cycle.year < new_year;
    -- A re-rating result replaces the result it re-rated (same cycle).
    UPDATE ratings_rating AS older SET superseded_on = NEW.published_on
      FROM ratings_rerating AS rerating
     WHERE rerating.application_id = NEW.application_id
       AND older.id = rerating.rating_id AND older.superseded_on IS NULL;
    -- An earlier cycle's result published after a later one is never the current one.
    IF EXISTS (SELECT 1 FROM ratings_rating AS later
                 JOIN assessments_cycle AS cycle ON cycle.id = later.cycle_id
                WHERE later.unit_id = NEW.unit_id AND cycle.year > new_year) THEN
        NEW.superseded_on := NEW.published_on;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# Going back restores migration 0005's function.
SUPERSEDE_0005 = (
    import_module("ratings.migrations.0005_rating_superseded_on")
    .SUPERSEDE.split("CREATE TRIGGER")[0]
)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_application_kind_rerating'),
        ('ratings', '0006_encrypt_commenter_contacts'),
        ('units', '0003_unit_name_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Rerating',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
            ],
            options={
                'verbose_name': '整改后重新评级',
                'verbose_name_plural': '整改后重新评级',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='rating',
            name='one_rating_per_cycle',
        ),
        migrations.AddIndex(
            model_name='rating',
            index=models.Index(fields=['unit', 'cycle'], name='rating_unit_cycle'),
        ),
        migrations.AddField(
            model_name='rerating',
            name='application',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='rerating', to='assessments.application', verbose_name='重新评级申请'),
        ),
        migrations.AddField(
            model_name='rerating',
            name='rating',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='rerating', to='ratings.rating', verbose_name='申请重新评级的结果'),
        ),
        migrations.RunSQL(SUPERSEDE, SUPERSEDE_0005),
    ]
