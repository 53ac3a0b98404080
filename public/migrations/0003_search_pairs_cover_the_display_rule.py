"""The pairs' primary key also holds each pair's display end (``INCLUDE``), so a pair's holders
are read from the index alone: every one of them is tested against the display rule, and
fetching each row from the table for that test was most of a common pair's read (issue #15).
Django has no ``INCLUDE`` for a primary key, so the key is replaced here; search_entries.rebuild
re-adds it as it finds it.
"""

from django.db import migrations

COVERING = """
ALTER TABLE public_searchpair DROP CONSTRAINT public_searchpair_pkey;
ALTER TABLE public_searchpair ADD CONSTRAINT public_searchpair_pkey
    PRIMARY KEY (pair, unit_name, rating_id) INCLUDE (display_ends_on);
"""

PLAIN = """
ALTER TABLE public_searchpair DROP CONSTRAINT public_searchpair_pkey;
ALTER TABLE public_searchpair ADD CONSTRAINT public_searchpair_pkey
    PRIMARY KEY (pair, unit_name, rating_id);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_search_pairs"),
    ]

    operations = [migrations.RunSQL(COVERING, PLAIN)]
