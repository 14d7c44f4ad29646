"""Set-based writes for imports: rows and their audit entries inserted with `executemany` (SQLite) or
streamed through `COPY` (PostgreSQL).

An import of a million budget lines cannot afford a model instance per row (Django's `bulk_create`
spends most of its time building and preparing objects), so rows go to the database as plain tuples.
The audit entries written here are the same `ObjectChange` rows `mieruka.core.audit` writes — same
snapshot shape as `serialize_object`, same batch ID — which a test checks.

Primary keys of new rows are reserved before inserting (a PostgreSQL sequence, or SQLite's rowid range
under the transaction's write lock), so references and audit entries can be built without reading
rows back.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from mieruka.core.audit import Actor
from mieruka.core.bulk import json_text_encoder, keys_reserve, roomy_cache
from mieruka.core.models import ObjectChange

CHUNK = 50_000
_NEEDS_PREP = {"UUIDField", "DateTimeField"}
_AUDIT_COLUMNS = ("time", "user_id", "user_name", "request_id", "source", "action", "changed_object_type_id",
                  "changed_object_id", "related_object_type_id", "related_object_id", "object_repr",
                  "prechange_data", "postchange_data", "reason")


def _identity(text: str) -> str:
    return text


json_text = json_text_encoder()  # `json.dumps` with its defaults, its C encoder made once


def json_value(value):
    """As `mieruka.core.audit._json_value`: what a snapshot stores for a field value."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot_fields(model: type[models.Model]) -> list[tuple[str, str]]:
    """(name, attname) of the fields `serialize_object` records, in the same order."""
    return [(f.name, f.attname) for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("created", "last_updated")]


def _chunks(rows: Iterable, size: int = CHUNK) -> Iterable[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):  # taken in C, not one Python step per row
        yield chunk


@contextmanager
def collection_paused():
    """Hold off Python's cyclic garbage collector for the length of a large import.

    Reading a million rows keeps a million records alive, and each collection of the oldest generation walks
    all of them again: a tenth of the import's CPU time. The import's rows and records hold no reference
    cycles, so reference counting frees them as before; only cyclic garbage waits, until the end. The
    collector is process-wide, so other threads of the process wait too; it is switched back on only if it
    was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class BulkWriter:
    """Inserts, updates and audit entries for one import, all inside the caller's transaction."""

    def __init__(self, *, actor: Actor, now: datetime.datetime, reason: str = ""):
        self.actor = actor
        self.reason = reason
        self.vendor = connection.vendor
        self.now = now
        self.timestamp = models.DateTimeField().get_db_prep_save(now, connection)
        self.request_id = ObjectChange._meta.get_field("request_id").get_db_prep_save(actor.request_id, connection)
        self.json_field = ObjectChange._meta.get_field("postchange_data")
        self.user_id = getattr(actor.user, "pk", None)
        self.audit_count = 0
        self._content_types: dict = {}

    def roomy_cache(self, mebibytes: int = 256):
        """On SQLite, a page cache that holds the index pages a large import touches (the core helper)."""
        return roomy_cache(mebibytes=mebibytes)

    # --- primary keys ------------------------------------------------------------------------------

    def reserve_ids(self, model: type[models.Model], count: int) -> Sequence[int]:
        """`count` primary keys no other writer will use (the core helper the demo uses too)."""
        if self.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"Bulk import is not supported on {self.vendor}")
        return keys_reserve(model, count)

    # --- rows --------------------------------------------------------------------------------------

    def _preparers(self, model, attnames) -> list[Callable | None]:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        preparers = []
        for attname in attnames:
            f = fields[attname]
            if f.get_internal_type() == "JSONField":
                # What JSONField.get_db_prep_save ends in, without its per-value dispatch (a third of the
                # time of writing 50,000 systems).
                preparers.append(lambda v: None if v is None else self.json_param(v))
            elif f.get_internal_type() in _NEEDS_PREP:
                preparers.append(lambda v, f=f: f.get_db_prep_save(v, connection))
            else:
                preparers.append(None)
        return preparers

    def json_param(self, value, *, serialized: bool = False):
        """A JSON column's query parameter: text on SQLite, Jsonb on PostgreSQL. `serialized` means `value`
        is JSON text already (the budget hot path formats it directly) and goes through as is."""
        text = value if serialized else json_text(value)
        if self.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return Jsonb(text, dumps=_identity)
        return text

    def _prepared(self, rows, preparers):
        if not any(preparers):
            return rows
        pairs = list(enumerate(preparers))
        return (tuple(p(v) if p else v for (_, p), v in zip(pairs, row, strict=True)) for row in rows)

    def insert(self, model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple], *,
               timestamps: bool = True, progress: Callable[[int], None] | None = None) -> int:
        """INSERT plain tuples (in `attnames` order); `created`/`last_updated` are added if the model has them."""
        table = connection.ops.quote_name(model._meta.db_table)
        columns = list(attnames)
        stamp = ()
        if timestamps:
            columns += ["created", "last_updated"]
            stamp = (self.timestamp, self.timestamp)
        sql = (f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in columns)}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        preparers = self._preparers(model, attnames)
        prepared = self._prepared(rows, preparers)
        if self.vendor == "postgresql":
            return self._copy(table, columns, (row + stamp for row in prepared) if stamp else prepared,
                              progress=progress)
        done = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(prepared):
                cursor.executemany(sql, [row + stamp for row in chunk] if stamp else chunk)
                done += len(chunk)
                if progress:
                    progress(done)
        return done

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[tuple], *,
              progress: Callable[[int], None] | None = None) -> int:
        """PostgreSQL: stream the rows through `COPY … FROM STDIN` (psycopg 3), several times faster than
        one INSERT per row; values are adapted exactly as query parameters are (Jsonb, datetimes, UUIDs)."""
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        done = 0
        # psycopg's copy() is not among the cursor calls Django wraps: without this, a constraint the rows
        # violate would surface as psycopg's own error instead of Django's IntegrityError.
        with (connection.wrap_database_errors, connection.cursor() as cursor,
              cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy):
            for row in rows:
                copy.write_row(row)
                done += 1
                if progress and done % CHUNK == 0:
                    progress(done)
        if progress and done % CHUNK:
            progress(done)
        return done

    def update(self, model: type[models.Model], attnames: Sequence[str], rows: Iterable[tuple]) -> int:
        """UPDATE by primary key: each row is the `attnames` values followed by the pk."""
        table = connection.ops.quote_name(model._meta.db_table)
        sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in [*attnames, "last_updated"])
        sql = f"UPDATE {table} SET {sets} WHERE id = %s"
        preparers = self._preparers(model, attnames)
        done = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(rows):
                prepared = self._prepared((row[:-1] for row in chunk), preparers)
                cursor.executemany(sql, [values + (self.timestamp, row[-1])
                                         for values, row in zip(prepared, chunk, strict=True)])
                done += len(chunk)
        return done

    def delete_where_in(self, model: type[models.Model], column: str, values: Sequence[int]) -> None:
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            for chunk in _chunks(values, 500):
                cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name(column)} IN "
                               f"({', '.join(['%s'] * len(chunk))})", chunk)

    # --- audit -------------------------------------------------------------------------------------

    def content_type_id(self, model: type[models.Model]) -> int:
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
        return self._content_types[model]

    def audit(self, model: type[models.Model], action: str,
              entries: Iterable[tuple[int, str, dict | None, dict | None, int | None]], *,
              related_model: type[models.Model] | None = None) -> int:
        """Write audit rows; each entry is (pk, repr, before, after, related pk).

        `before` and `after` are snapshot dicts, or JSON text already serialised (the budget hot path).
        """
        ct = self.content_type_id(model)
        related_ct = self.content_type_id(related_model) if related_model else None

        if self.vendor == "postgresql":
            def dump(value):
                return self.json_param(value, serialized=isinstance(value, str))
        else:
            # SQLite takes the JSON text itself: one call a snapshot instead of three (a million rows pass here).
            def dump(value, encode=json_text):
                return value if isinstance(value, str) else encode(value)

        head = (self.timestamp, self.user_id, self.actor.name[:150], self.request_id, self.actor.source, action, ct)
        reason = self.reason

        def rows():
            for pk, text, before, after, related_pk in entries:
                yield head + (pk, related_ct if related_pk is not None else None, related_pk, text[:200],
                              None if before is None else dump(before), None if after is None else dump(after),
                              reason)

        table = connection.ops.quote_name(ObjectChange._meta.db_table)
        if self.vendor == "postgresql":
            done = self._copy(table, _AUDIT_COLUMNS, rows())
            self.audit_count += done
            return done
        sql = (f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(c) for c in _AUDIT_COLUMNS)}) "
               f"VALUES ({', '.join(['%s'] * len(_AUDIT_COLUMNS))})")
        done = 0
        with connection.cursor() as cursor:
            for chunk in _chunks(rows()):
                cursor.executemany(sql, chunk)
                done += len(chunk)
        self.audit_count += done
        return done
