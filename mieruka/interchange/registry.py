"""Tables that higher apps add to the interchange export, so this app never imports them.

A registered table is written into the full JSON export (`mieruka export --format json`) after the
portfolio's own tables, and the JSON reader of the portfolio import passes over it: the app that owns the
table imports it with its own command, from the same document (docs/interchange.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .schema import Table


@dataclass(frozen=True)
class ExportTable:
    table: Table
    rows: Callable[[], Iterable[dict]]  # canonical records, in a stable order


EXPORT_TABLES: dict[str, ExportTable] = {}


def export_table_register(table: Table, rows: Callable[[], Iterable[dict]]) -> None:
    """Add a table to the full JSON export (called from the owning app's `ready`)."""
    EXPORT_TABLES[table.name] = ExportTable(table, rows)
