"""What an import would do: per table, the rows to create, to update (field by field) and left unchanged.

Pure: it compares validated records with the canonical records the selectors read from the database.
A column absent from a file leaves that field as it is; a blank cell in a present column clears it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import schema, values
from .validation import Parsed


@dataclass
class TablePlan:
    table: str
    create: list = field(default_factory=list)  # keys
    update: list = field(default_factory=list)  # keys
    unchanged: int = 0
    changes: dict = field(default_factory=dict)  # key → [(field, old, new)]

    @property
    def is_empty(self) -> bool:
        return not self.create and not self.update


@dataclass
class Plan:
    tables: dict[str, TablePlan]
    new_platforms: list[str]

    @property
    def has_changes(self) -> bool:
        return bool(self.new_platforms) or any(not t.is_empty for t in self.tables.values())

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: {"create": len(t.create), "update": len(t.update), "unchanged": t.unchanged}
                for name, t in self.tables.items()}


def key_label(key: tuple) -> str:
    return " / ".join(str(part) for part in key)


def full_record(table: schema.Table, record: dict, base: dict | None = None) -> dict:
    """A record with every column: the imported values over `base` (the stored record) or the defaults."""
    merged = dict(base) if base is not None else _defaults(table.name)
    merged.update(record)
    return merged


_DEFAULTS: dict[str, tuple[dict, list[str]]] = {}


def _defaults(name: str) -> dict:
    """A new record's values for the columns its file does not have (the model defaults)."""
    if name not in _DEFAULTS:
        defaults = {c.name: values.empty_value(c) for c in schema.TABLES[name].columns}
        if name == "systems":
            defaults["hosting"] = "unknown"
        if name == "reviews":
            defaults["follow_up"] = "none"
        if name == "projects":
            defaults["reporting_frequency"] = "quarterly"
        if name == "status_reports":
            defaults.update(scale="rag3", source="self_assessment")
        _DEFAULTS[name] = defaults, [k for k, v in defaults.items() if isinstance(v, list)]
    template, lists = _DEFAULTS[name]
    merged = dict(template)
    for key in lists:  # lists are mutable: each record gets its own
        merged[key] = list(template[key])
    return merged


def plan(parsed: Parsed, existing: dict[str, dict]) -> Plan:
    """`existing[table]` maps key → (pk, record) (budgets: key → (pk, amount))."""
    tables = {}
    for name in schema.TABLE_ORDER:
        table = schema.TABLES[name]
        result = TablePlan(name)
        stored = existing.get(name, {})
        records = parsed.tables[name].records
        if name == "budgets":
            for key, amount in records.items():
                found = stored.get(key)
                if found is None:
                    result.create.append(key)
                elif found[1] != amount:
                    result.update.append(key)
                    result.changes[key] = [("amount_yen", found[1], amount)]
                else:
                    result.unchanged += 1
        else:
            key_fields = set(table.key)
            for key, record in records.items():
                found = stored.get(key)
                if found is None:
                    result.create.append(key)
                    continue
                old = found[1]
                diff = [(f, old.get(f), v) for f, v in record.items() if f not in key_fields and old.get(f) != v]
                if diff:
                    result.update.append(key)
                    result.changes[key] = diff
                else:
                    result.unchanged += 1
        tables[name] = result
    return Plan(tables=tables, new_platforms=list(parsed.new_platforms))
