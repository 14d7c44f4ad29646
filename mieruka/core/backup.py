"""Backup and restore of the whole portfolio, history included, portable between SQLite and PostgreSQL.

A backup is one gzip file of JSON lines, streamed table by table, so neither side ever holds the data in
memory: a header line (format, source database, rows per table), then for each table a line naming its
columns followed by one line per row. Rows keep their primary keys; the only values that differ between
databases — content types and permissions, which migrations create with their own ids — are written by
natural key ([app label, model], [codename, app label, model]). So a backup taken from SQLite restores
into PostgreSQL and back.

Restore replaces the database's contents in one transaction: it empties the tables, inserts the rows in
batches with plain INSERTs, or COPY on PostgreSQL (no model instances, no `save()`: timestamps and the
like come back exactly as they were) and checks every table's row count against the header before committing.
"""

import datetime
import decimal
import gzip
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

from .errors import ApplicationError

FORMAT = "mieruka-backup/2"
LEGACY_FORMAT = "mieruka-backup/1"  # one JSON document of Django's dumpdata (still restored)
BATCH = 2000
# gzip level 3: on the demo, a third of level 6's time for a file a quarter larger (2.8 MB against 2.3).
COMPRESSLEVEL = 3

# Fields whose values JSON cannot carry natively: written as text, read back with the field's to_python().
_TEXT_ENCODED = (models.DateTimeField, models.DateField, models.TimeField, models.DecimalField,
                 models.UUIDField, models.DurationField)


def _portfolio_models(*, include_auto_created: bool = False):
    """Every table a backup holds: all but content types, permissions, sessions and the admin's log."""
    for model in apps.get_models(include_auto_created=include_auto_created):
        label = model._meta.label_lower
        if model._meta.app_label in ("contenttypes", "sessions", "admin") or label == "auth.permission":
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        yield model


def _models() -> list:
    return list(_portfolio_models(include_auto_created=True))


def backup_counts() -> dict[str, int]:
    """Rows per table (many-to-many link tables included): printed after a backup, checked after a restore."""
    return {m._meta.label_lower: m._base_manager.count() for m in _models()}


def _encode(value):
    if isinstance(value, datetime.timedelta):
        return f"{value.days} {value.seconds}.{value.microseconds:06d}"  # DurationField.to_python's form
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


# One encoder for every row: json.dumps() would build a new one per call.
_row_encoder = json.JSONEncoder(ensure_ascii=False, default=_encode, separators=(",", ":"))


def _natural_key_maps() -> dict:
    return {
        ContentType: {ct.id: [ct.app_label, ct.model] for ct in ContentType.objects.all()},
        Permission: {p.id: [p.codename, p.content_type.app_label, p.content_type.model]
                     for p in Permission.objects.select_related("content_type")},
    }


def _dump_lines(counts: dict[str, int]) -> Iterator[str]:
    natural = _natural_key_maps()
    for model in _models():
        fields = model._meta.concrete_fields
        columns = [f.column for f in fields]
        yield json.dumps({"model": model._meta.label_lower, "columns": columns,
                          "rows": counts[model._meta.label_lower]}) + "\n"
        mapped = [(i, natural[f.related_model]) for i, f in enumerate(fields)
                  if f.is_relation and f.related_model in natural]
        rows = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
        for row in rows.iterator(chunk_size=BATCH):
            if mapped:
                row = list(row)
                for i, keys in mapped:
                    if row[i] is not None:
                        row[i] = keys[row[i]]
            yield _row_encoder.encode(row) + "\n"


def backup_create(*, path: Path) -> dict[str, int]:
    """Write every record (portfolio, users, audit trail) to `path` (.json.gz); return rows per table."""
    path = Path(path)
    if not path.name.endswith(".json.gz"):
        path = path.with_name(path.name + ".json.gz")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    try:
        # One read transaction: the counts and every table come from the same moment, while others write.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = backup_counts()
            with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=COMPRESSLEVEL) as f:
                f.write(json.dumps({"format": FORMAT, "vendor": connection.vendor, "counts": counts,
                                    "created": datetime.datetime.now(datetime.UTC).isoformat()}) + "\n")
                for line in _dump_lines(counts):
                    f.write(line)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return counts


# --- restore -------------------------------------------------------------------------------------------


def _unreadable(path: Path, exc: Exception) -> ApplicationError:
    return ApplicationError(f"バックアップファイルを読めません: {path}（{exc}）", f"Cannot read the backup file {path} ({exc})")


def _not_a_backup(path: Path) -> ApplicationError:
    return ApplicationError(f"Mierukaのバックアップ形式ではありません: {path}", f"Not a Mieruka backup file: {path}")


def backup_restore(*, path: Path) -> dict[str, int]:
    """Replace the database's contents with the backup at `path`, all or nothing."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            start = f.read(64)
    except FileNotFoundError as exc:
        raise ApplicationError(f"バックアップファイルがありません: {path}", f"No backup file at {path}") from exc
    except (OSError, EOFError) as exc:
        raise _unreadable(path, exc) from exc
    if LEGACY_FORMAT in start:
        counts = _restore_legacy(path)
    elif FORMAT in start:
        counts = _restore(path)
    else:
        raise _not_a_backup(path)
    # Cached figures describe the replaced data.
    transaction.on_commit(cache.clear)
    return counts


def _restore(path: Path) -> dict[str, int]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f, transaction.atomic():
            header = json.loads(f.readline())
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise _not_a_backup(path)
            _empty_database()
            _load_tables(f)
            counts = backup_counts()
            expected = {label: header["counts"].get(label, 0) for label in counts}
            if counts != expected:
                diff = {k: (expected.get(k), v) for k, v in counts.items() if expected.get(k) != v}
                raise ApplicationError(f"復元後の件数が一致しません: {diff}", f"Row counts differ after restore: {diff}")
    except (OSError, EOFError, json.JSONDecodeError) as exc:
        raise _unreadable(path, exc) from exc
    _reset_sequences()
    return counts


def _empty_database() -> None:
    # PostgreSQL refuses TRUNCATE while deferred foreign-key checks of earlier writes in the same
    # transaction are pending: run them now, then defer again so rows may reference later rows.
    _set_constraints("IMMEDIATE")
    # Only the tables a backup holds, plus sessions and the admin's log (they point at users): content
    # types and permissions keep their ids, so every running worker's content-type cache stays right.
    # (A full flush recreates them under new ids, and other processes would then audit changes under
    # the wrong record type until restarted.)
    tables = [m._meta.db_table for m in _models()]
    tables += [m._meta.db_table for m in apps.get_models() if m._meta.app_label in ("sessions", "admin")]
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True):
            cursor.execute(sql)
    _set_constraints("DEFERRED")


class _NaturalKeys:
    """Ids in this database of the content types and permissions a backup names by natural key."""

    def __init__(self):
        self.content_types = {(ct.app_label, ct.model): ct.id for ct in ContentType.objects.all()}
        self.permissions = {(p.codename, p.content_type.app_label, p.content_type.model): p.id
                            for p in Permission.objects.select_related("content_type")}

    def content_type(self, key) -> int:
        key = tuple(key)
        if key not in self.content_types:
            # The history may name a model this version no longer has; keep its rows readable.
            self.content_types[key] = ContentType.objects.get_or_create(app_label=key[0], model=key[1])[0].id
        return self.content_types[key]

    def permission(self, key) -> int:
        try:
            return self.permissions[tuple(key)]
        except KeyError:
            raise ApplicationError(f"この版にない権限がバックアップにあります: {key}",
                                   f"The backup names a permission this version does not have: {key}") from None


def _sqlite_datetime(value: str) -> str:
    """What Django's SQLite backend stores for an aware datetime: naive UTC, `str()` of it."""
    return str(datetime.datetime.fromisoformat(value).astimezone(datetime.UTC).replace(tzinfo=None))


def _converter(field, naturals: _NaturalKeys):
    """How one column's JSON value becomes the value to insert, or None when it goes in as it is.

    The common types take short cuts rather than `get_db_prep_save()`, which costs more than the rest of
    the restore: PostgreSQL's COPY reads ISO dates and times as they were written, and SQLite gets the
    same text Django's backend would make.
    """
    if field.is_relation and field.related_model is ContentType:
        return lambda v: None if v is None else naturals.content_type(v)
    if field.is_relation and field.related_model is Permission:
        return lambda v: None if v is None else naturals.permission(v)
    if field.is_relation or isinstance(field, models.BooleanField | models.IntegerField | models.CharField
                                       | models.TextField | models.FloatField):
        return None
    if isinstance(field, models.JSONField):
        # A non-null JSON column stores None as JSON null.
        return lambda v: None if v is None and field.null else json.dumps(v, cls=field.encoder)
    postgresql = connection.vendor == "postgresql"
    if isinstance(field, models.DateTimeField):
        return None if postgresql else (lambda v: None if v is None else _sqlite_datetime(v))
    if isinstance(field, models.DateField | models.UUIDField) and postgresql:
        return None
    if isinstance(field, models.DateField):
        return None  # SQLite stores the ISO date as written
    if isinstance(field, _TEXT_ENCODED):
        return lambda v: None if v is None else field.get_db_prep_save(field.to_python(v), connection)
    return lambda v: field.get_db_prep_save(v, connection)


def _load_tables(lines) -> None:
    by_label = {m._meta.label_lower: m for m in _models()}
    naturals = _NaturalKeys()
    line = lines.readline()
    while line:
        table = json.loads(line)
        label = table.get("model") if isinstance(table, dict) else None
        model = by_label.get(label)
        if model is None:
            raise ApplicationError(f"この版にないテーブルがバックアップにあります: {label}",
                                   f"The backup holds a table this version does not have: {label}")
        _insert_rows(model, table["columns"], table["rows"], lines, naturals)
        line = lines.readline()


def _insert_rows(model, columns: list[str], count: int, lines, naturals: _NaturalKeys) -> None:
    fields = {f.column: f for f in model._meta.concrete_fields}
    unknown = [c for c in columns if c not in fields]
    if unknown:
        raise ApplicationError(f"{model._meta.label}: この版にない列があります: {unknown}",
                               f"{model._meta.label}: the backup has columns this version does not: {unknown}")
    # Columns added since the backup was taken get their field's default.
    missing = [f for c, f in fields.items() if c not in columns]
    extra = [f.get_db_prep_save(f.get_default(), connection) for f in missing]
    convert = [(i, conv) for i, c in enumerate(columns) if (conv := _converter(fields[c], naturals))]
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in [*columns, *(f.column for f in missing)])

    def rows():
        for _ in range(count):
            row = json.loads(lines.readline())
            for i, conv in convert:
                row[i] = conv(row[i])
            yield (*row, *extra)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: several times faster than batched INSERTs.
            with cursor.copy(f"COPY {qn(model._meta.db_table)} ({names}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            return
        sql = (f"INSERT INTO {qn(model._meta.db_table)} ({names}) "
               f"VALUES ({', '.join(['%s'] * (len(columns) + len(missing)))})")
        batch = []
        for row in rows():
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)


def _restore_legacy(path: Path) -> dict[str, int]:
    """Backups written before the streaming format: one JSON document of Django's serialized objects."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            payload = json.load(f)
    except (OSError, json.JSONDecodeError, EOFError) as exc:
        raise _unreadable(path, exc) from exc
    if not isinstance(payload, dict) or payload.get("format") != LEGACY_FORMAT:
        raise _not_a_backup(path)
    fixture = path.with_name(path.name.replace(".json.gz", "") + ".restore.json")
    fixture.write_text(json.dumps(payload["objects"], ensure_ascii=False), encoding="utf-8")
    try:
        with transaction.atomic():
            _empty_database()
            call_command("loaddata", str(fixture), verbosity=0)
            counts = {m._meta.label_lower: m._default_manager.count() for m in _portfolio_models()}
            if counts != payload["counts"]:
                diff = {k: (payload["counts"].get(k), v) for k, v in counts.items() if payload["counts"].get(k) != v}
                raise ApplicationError(f"復元後の件数が一致しません: {diff}", f"Row counts differ after restore: {diff}")
        _reset_sequences()
    finally:
        fixture.unlink(missing_ok=True)
    return counts


def _set_constraints(mode: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _reset_sequences() -> None:
    """PostgreSQL sequences must move past restored IDs, or the next insert collides."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
