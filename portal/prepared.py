"""Reads whose SQL is compiled once per process and run with each request's values.

Django compiles a queryset to SQL every time it is evaluated. For a query with joins,
``select_related`` and subqueries that compile costs several milliseconds here, more than
PostgreSQL takes to plan and run it, and a public page that the cache cannot help pays it on
every request (issue #15). A ``PreparedRead`` builds its queryset once with a marker value
where each parameter goes, keeps the SQL and the compiler, and on each call swaps the markers
for the call's values, runs the SQL and makes model instances the way Django's own iterator
does (``select_related`` objects and annotations included).

Nothing is cached but the SQL text: every call reads the database. The rules stay in the
querysets (``publicly_displayed``, ``published()``...); only the values change between calls.
A marker the compiled parameters do not hold exactly once is refused when the read is first
used, so a lookup that transforms its value (``icontains`` wraps it in ``%``) fails loudly
instead of running with the marker.
"""

import datetime
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators


class Marker:
    """Stands for a parameter while the queryset is compiled: ``Marker.text("code")``."""

    @staticmethod
    def text(name: str) -> str:
        return f"\x1fprepared:{name}\x1f"

    @staticmethod
    def number(name: str) -> int:
        # Negative, so no key or count the application stores, yet inside a 32-bit column's
        # range (Django compiles a lookup outside it to an empty result, without the value).
        return -2_000_000_000 - sum(map(ord, name))

    @staticmethod
    def date(name: str) -> datetime.date:
        return datetime.date(1, 1, 1) + datetime.timedelta(days=sum(map(ord, name)))


class PreparedRead:
    """``build(**markers)`` -> queryset, compiled on first use per database alias.

    ``markers`` maps each parameter name to its marker value (see ``Marker``); call the read
    with the same names: ``read(code="9141...")`` returns a list of model instances.
    """

    def __init__(self, build: Callable[..., QuerySet], **markers: Any):
        self._build = build
        self._markers = markers
        self._model: type[Model] | None = None
        self._compiled: dict[str, tuple] = {}

    def _compile(self, alias: str) -> tuple:
        queryset = self._build(**self._markers)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = {}
        for name, marker in self._markers.items():
            found = [i for i, value in enumerate(params) if type(value) is type(marker)]
            found = [i for i in found if params[i] == marker]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"{queryset.model.__name__} read: parameter {name!r} is in the compiled "
                    f"query {len(found)} times, not once"
                )
            slots[found[0]] = name
        return compiler, sql, tuple(params), slots

    def __call__(self, **values: Any) -> list[Model]:
        if values.keys() != self._markers.keys():
            raise TypeError(f"expected the parameters {sorted(self._markers)}")
        if self._model is None:
            self._model = self._build(**self._markers).model
        # The alias per call: public reads may go to a replica (portal/replica.py).
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        compiler, sql, params, slots = compiled
        params = list(params)
        for index, name in slots.items():
            params[index] = values[name]
        with preparing_cursor(connections[alias]) as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return _instances(compiler, alias, rows)


class _PreparingCursor(ServerBindingCursor):
    def _send_query_prepared(self, name, pgq, *, binary=None):
        # psycopg records the query it sends for Django's query log (``last_executed_query``)
        # only when it does not use a prepared statement; record it here too.
        self._query = pgq
        super()._send_query_prepared(name, pgq, binary=binary)


@contextmanager
def preparing_cursor(connection):
    """Django's cursor (its wrappers, logging and error translation), but one that sends the
    values apart from the SQL and has psycopg prepare the statement: PostgreSQL then plans
    each of these reads once per connection, not once per request. Django leaves preparing
    off (``prepare_threshold``) and binds values into the SQL; only these reads change that,
    and only while they run."""
    # As connection.cursor() would, before we reach for the driver's connection.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor != "postgresql" or not hasattr(raw, "prepare_threshold"):
        with connection.cursor() as cursor:
            yield cursor
        return
    saved = raw.cursor_factory, raw.prepare_threshold
    raw.cursor_factory, raw.prepare_threshold = _PreparingCursor, 0
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        raw.cursor_factory, raw.prepare_threshold = saved


def _instances(compiler, alias: str, rows: list[tuple]) -> list[Model]:
    """Rows as Django's ModelIterable makes them: the model, its select_related objects and
    its annotations."""
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    related_populators = get_related_populators(klass_info, select, alias)
    instances = []
    for row in compiler.results_iter([rows]):
        instance = model.from_db(alias, init_list, row[start:end])
        for populator in related_populators:
            populator.populate(row, instance)
        for name, position in compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        instances.append(instance)
    return instances


class ValuesByIds:
    """``build().values(...)`` for the rows whose ``column`` is one of ``ids``, as dicts in the
    order of ``ids``; the SQL is compiled once per process and database (a page of results,
    read by key after its ids were found).

    ``build`` returns the queryset with its ``values()`` and no filter on ``column``; the ids go
    in as one array parameter (``= ANY(%s)``), so the SQL is the same for every page.
    """

    _MARKER = Marker.number("ids")

    def __init__(self, build: Callable[[], QuerySet], column: str):
        self._build = build
        self._column = column
        self._model: type[Model] | None = None
        self._compiled: dict[str, tuple[str, tuple, tuple[str, ...]]] = {}

    def _compile(self, alias: str) -> tuple[str, tuple, tuple[str, ...]]:
        queryset = self._build().filter(**{f"{self._column}__in": [self._MARKER]}).order_by()
        query = queryset.query
        sql, params = query.get_compiler(using=alias).as_sql()
        head, found, tail = sql.rpartition(" IN (%s)")
        if not found or params[-1] != self._MARKER or "%s" in tail:
            raise ImproperlyConfigured(
                f"{queryset.model.__name__}: the ids are not the last filter"
            )
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        return f"{head} = ANY(%s){tail}", tuple(params[:-1]), names

    def __call__(self, ids: list) -> list[dict]:
        if not ids:
            return []
        if self._model is None:
            self._model = self._build().model
        alias = router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, params, names = compiled
        # Prepared: the same SQL for every page, planned once per connection.
        with preparing_cursor(connections[alias]) as cursor:
            cursor.execute(sql, (*params, list(ids)))
            rows = cursor.fetchall()
        key = names.index(self._column)
        by_id = {row[key]: dict(zip(names, row, strict=True)) for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]
