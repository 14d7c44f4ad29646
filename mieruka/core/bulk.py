"""Fast inserts for generated data: plain rows written with `executemany` (SQLite) or `COPY` (PostgreSQL).

For the demo portfolio, where tens of thousands of records are made at once and none is saved twice.
Values are adapted by each field exactly as the ORM would; what `bulk_create` adds on top (building SQL
per row and value) is most of its cost. Nothing here validates or audits; where records need their keys
before they are written, `keys_reserve` hands them out.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from json.encoder import c_make_encoder, encode_basestring, encode_basestring_ascii

from django.db import connections, models, router
from django.utils import timezone


def rows_insert(model: type[models.Model], field_names: list[str], rows: list[tuple], batch_size: int = 5000) -> None:
    """Insert plain rows with `executemany`, values adapted by each field exactly as the ORM would.

    `bulk_create` spends most of its time building model instances and SQL per row; for the bulk of the
    demo (budget lines and the trail) that made the run several times slower. Only fields whose Python
    value differs from the database's are adapted, repeated times and IDs once each.
    """
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    # Only the columns that need it are touched: most of a row goes in as it is.
    adapted = [(i, a) for i, a in enumerate(_adapter(f, conn) for f in fields) if a is not None]

    def prepared(chunk):
        if not adapted:
            return chunk
        out = []
        for row in chunk:
            if len(row) != len(fields):
                raise ValueError(f"{model.__name__}: a row of {len(row)} values for {len(fields)} columns")
            row = list(row)
            for i, adapt in adapted:
                row[i] = adapt(row[i])
            out.append(row)
        return out

    qn = conn.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # COPY is several times faster than INSERT on PostgreSQL, and psycopg adapts the same values.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(rows), batch_size):
                    for row in prepared(rows[start:start + batch_size]):
                        copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, prepared(rows[start:start + batch_size]))


def json_text_encoder(encoder_class: type[json.JSONEncoder] | None = None) -> Callable[[object], str]:
    """`encoder_class().encode` (the JSON text `json.dumps` gives), as one C encoder made once.

    `encode` builds a new C encoder on every call, which is a third of the time of formatting a million
    flat snapshots. The text is the same (a test compares them); only the check for circular references,
    which generated snapshots cannot have, is left out.
    """
    base = (encoder_class or json.JSONEncoder)()
    if c_make_encoder is None or base.indent is not None:  # a Python without the C accelerator
        return base.encode
    encode = c_make_encoder(None, base.default, encode_basestring_ascii if base.ensure_ascii else encode_basestring,
                            None, base.key_separator, base.item_separator, base.sort_keys, base.skipkeys,
                            base.allow_nan)
    join = "".join

    def dumps(value) -> str:
        return join(encode(value, 0))

    return dumps


def _adapter(f, conn):
    """How one field's Python value becomes the database's, or None when it goes in as it is."""
    kind = f.get_internal_type()
    if kind == "JSONField":
        # What `get_db_prep_save` ends in, without its per-value dispatch (JSON text on SQLite, Jsonb on
        # PostgreSQL); None stays SQL NULL.
        if conn.vendor == "sqlite":
            encode = json_text_encoder(f.encoder)
            return lambda v: None if v is None else encode(v)
        ops, encoder = conn.ops, f.encoder
        return lambda v: None if v is None else ops.adapt_json_value(v, encoder)
    if kind in ("DateTimeField", "DateField", "UUIDField", "DecimalField"):
        # Times, dates and batch IDs repeat: each distinct value is adapted once, the same as the last
        # one without even a lookup.
        cache: dict = {}
        last = [object(), None]

        def adapt(v):
            if v is last[0]:
                return last[1]
            if v not in cache:
                cache[v] = f.get_db_prep_save(v, conn)
            last[0], last[1] = v, cache[v]
            return last[1]

        return adapt
    return None


def instances_insert(instances: list[models.Model], *, batch_size: int = 5000) -> None:
    """Insert unsaved model instances whose primary keys nobody reads back (checklists, history, links)."""
    if not instances:
        return
    model = type(instances[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = [tuple(getattr(obj, f.attname) for f in fields) for obj in instances]
    rows_insert(model, [f.name for f in fields], rows, batch_size=batch_size)


def instances_create(instances: list[models.Model], *, batch_size: int | None = None) -> list[models.Model]:
    """Insert unsaved model instances and set their primary keys, like `bulk_create` without its SQL building.

    For generated records whose keys others point at (reviews, returns, findings): `bulk_create` spends most
    of its time preparing every value of every row through the query compiler. Here foreign keys assigned as
    objects take those objects' keys, `auto_now` fields one time for the batch, the keys are reserved
    (`keys_reserve`) and the rows go in as plain values. Nothing validates or sends signals, as with
    `bulk_create`; the caller has built the records from valid data.
    """
    if not instances:
        return instances
    model = type(instances[0])
    opts = model._meta
    conn = connections[router.db_for_write(model)]
    pk = opts.pk
    generated = pk.db_returning  # an auto-incremented key the database hands out
    relations = [f for f in opts.concrete_fields if f.is_relation]
    stamped = [f for f in opts.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    now = timezone.now()
    for obj in instances:
        for f in relations:
            if getattr(obj, f.attname) is None and f.is_cached(obj):
                related = f.get_cached_value(obj)
                if related is not None:
                    setattr(obj, f.attname, related.pk)
        for f in stamped:
            setattr(obj, f.attname, now)
    if generated:
        keyless = [obj for obj in instances if obj.pk is None]
        for obj, key in zip(keyless, keys_reserve(model, len(keyless)), strict=True):
            obj.pk = key
    rows_insert(model, [f.name for f in opts.concrete_fields],
                [tuple(getattr(obj, f.attname) for f in opts.concrete_fields) for obj in instances],
                batch_size=batch_size or 5000)
    for obj in instances:
        obj._state.adding = False
        obj._state.db = conn.alias
    return instances


def keys_reserve(model: type[models.Model], count: int) -> Sequence[int]:
    """`count` primary keys of `model` that no other writer will use, for rows inserted with their keys.

    Lets generated records point at each other before they are written, without reading their keys back.
    """
    if count == 0:
        return []
    conn = connections[router.db_for_write(model)]
    table, column = model._meta.db_table, model._meta.pk.column
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [conn.ops.quote_name(table), column, count])
            return [row[0] for row in cursor.fetchall()]
        # Any write statement takes SQLite's single write lock for the rest of the transaction, so no other
        # connection can insert between reading the highest key and using the range. Explicit keys move
        # the table's AUTOINCREMENT counter on, so later inserts never reuse them.
        cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
        cursor.execute(f"SELECT MAX({conn.ops.quote_name(column)}) FROM {conn.ops.quote_name(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return range(start, start + count)


@contextmanager
def roomy_cache(using: str = "default", mebibytes: int = 256) -> Iterator[None]:
    """On SQLite, a page cache that holds the pages a large load touches (the default is 2 MiB), then the
    connection's own size again.

    Without it the pages of one long transaction spill to the write-ahead log and index insertions re-read
    them: about a sixth of the demo's processor time.
    """
    conn = connections[using]
    if conn.vendor != "sqlite":
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-mebibytes * 1024}")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")
