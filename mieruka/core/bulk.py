"""Fast inserts for generated data: plain rows written with `executemany` (SQLite) or `COPY` (PostgreSQL).

For the demo portfolio, where tens of thousands of records are made at once and none is saved twice.
Values are adapted by each field exactly as the ORM would; what `bulk_create` adds on top (building SQL
per row and value) is most of its cost. Nothing here validates, audits or returns primary keys.
"""

from django.db import connections, models, router


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

    def adapter(f):
        kind = f.get_internal_type()
        if kind == "JSONField":
            return lambda v: f.get_db_prep_save(v, conn)
        if kind in ("DateTimeField", "DateField", "UUIDField", "DecimalField"):
            cache: dict = {}

            def adapt(v):
                if v not in cache:
                    cache[v] = f.get_db_prep_save(v, conn)
                return cache[v]

            return adapt
        return None

    adapters = [adapter(f) for f in fields]
    qn = conn.ops.quote_name
    table, columns = qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # COPY is several times faster than INSERT on PostgreSQL, and psycopg adapts the same values.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([a(v) if a else v for a, v in zip(adapters, row, strict=True)])
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for start in range(0, len(rows), batch_size):
            cursor.executemany(sql, [
                [a(v) if a else v for a, v in zip(adapters, row, strict=True)]
                for row in rows[start:start + batch_size]
            ])


def instances_insert(instances: list[models.Model], *, batch_size: int = 5000) -> None:
    """Insert unsaved model instances whose primary keys nobody reads back (checklists, history, links)."""
    if not instances:
        return
    model = type(instances[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows = [tuple(getattr(obj, f.attname) for f in fields) for obj in instances]
    rows_insert(model, [f.name for f in fields], rows, batch_size=batch_size)
