"""Make PostgreSQL walk an index in order for one query.

A page of many matches in name order is cheapest as a walk of the name index that stops after
a page of hits. PostgreSQL chooses it only when it believes the hits are dense, and it
underestimates how many names hold a fragment of three characters or more (it multiplies the
selectivity of each character pair and of the LIKE), so it scans and sorts thousands of rows
instead. The caller knows better (it has counted more matches than a page holds) and asks for
the walk: sequential and bitmap scans are off for the block, in the current transaction only.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

_OFF = "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off"
_ON = "SET LOCAL enable_seqscan = on; SET LOCAL enable_bitmapscan = on"


@contextmanager
def index_walk() -> Iterator[None]:
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(_OFF)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(_ON)
