"""The pairs' holders in publication order, for the open data (public/models.py SearchPair)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('public', '0003_search_pairs_cover_the_display_rule'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='searchpair',
            index=models.Index(fields=['pair', 'rating_id'], include=('display_ends_on',), name='public_pair_holders_by_id'),
        ),
    ]
