"""An area and a star's current entries in name order, read by index alone (public/models.py,
results.py ``Matches.in_name_order``, decision 0117)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('public', '0004_search_pairs_by_id'),
        ('ratings', '0010_adverse_notices_and_objections'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='searchentry',
            name='search_entry_current_area',
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(condition=models.Q(('is_current', True)), fields=['area_id', 'star', 'unit_name', 'rating'], include=('display_ends_on',), name='search_entry_current_area'),
        ),
    ]
