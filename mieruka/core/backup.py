"""Backup and restore of the whole portfolio, history included, portable between SQLite and PostgreSQL.

A backup is Django's serialized data with natural keys (gzip JSON), so a backup taken from SQLite restores
into PostgreSQL and back. Content types and permissions are rebuilt by migrations, not copied.
"""

import gzip
import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction

from .errors import ApplicationError

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
FORMAT = "mieruka-backup/1"


def _portfolio_models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in ("contenttypes", "sessions", "admin") or label == "auth.permission":
            continue
        yield model


def backup_counts() -> dict[str, int]:
    """Rows per model: printed after a backup and compared after a restore."""
    return {m._meta.label_lower: m._default_manager.count() for m in _portfolio_models()}


def backup_create(*, path: Path) -> dict[str, int]:
    """Write every record (portfolio, users, audit trail) to `path` (.json.gz); return rows per model."""
    path = Path(path)
    if not path.name.endswith(".json.gz"):
        path = path.with_name(path.name + ".json.gz")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial.json.gz")
    call_command("dumpdata", natural_foreign=True, natural_primary=False, exclude=EXCLUDED,
                 output=str(tmp), verbosity=0)
    counts = backup_counts()
    # A small manifest beside the data lets restore check it got everything.
    with gzip.open(tmp, "rt", encoding="utf-8") as f:
        data = json.load(f)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump({"format": FORMAT, "counts": counts, "vendor": connection.vendor, "objects": data}, f,
                  ensure_ascii=False)
    tmp.unlink()
    return counts


def backup_restore(*, path: Path) -> dict[str, int]:
    """Replace the database's contents with the backup at `path`, all or nothing."""
    path = Path(path)
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            payload = json.load(f)
    except FileNotFoundError as exc:
        raise ApplicationError(f"バックアップファイルがありません: {path}", f"No backup file at {path}") from exc
    except (OSError, json.JSONDecodeError, EOFError) as exc:
        raise ApplicationError(f"バックアップファイルを読めません: {path}（{exc}）",
                               f"Cannot read the backup file {path} ({exc})") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ApplicationError(f"Mierukaのバックアップ形式ではありません: {path}",
                               f"Not a Mieruka backup file: {path}")
    fixture = path.with_name(path.name.replace(".json.gz", "") + ".restore.json")
    fixture.write_text(json.dumps(payload["objects"], ensure_ascii=False), encoding="utf-8")
    try:
        with transaction.atomic():
            # PostgreSQL refuses TRUNCATE while deferred foreign-key checks of earlier writes in the same
            # transaction are pending: run them now, then defer again so the load may reference forward.
            _set_constraints("IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
            _set_constraints("DEFERRED")
            call_command("loaddata", str(fixture), verbosity=0)
            counts = backup_counts()
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

    statements = connection.ops.sequence_reset_sql(no_style(), list(_portfolio_models()))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
