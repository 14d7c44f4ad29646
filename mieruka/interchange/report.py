"""Import reports as text for the command line (pure functions)."""

from __future__ import annotations

import unicodedata

from . import schema, values
from .planning import Plan, key_label
from .readers import Issue

ISSUE_HEADERS = ("file / ファイル", "row / 行", "column / 列", "value / 値", "reason / 理由")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ").replace("\r", " ")
    return text if _width(text) <= limit else text[: limit - 1] + "…"


def format_issues(issues: list[Issue], *, limit: int | None = 1000) -> str:
    """A readable table of problems, Japanese reason first, English second."""
    shown = issues if limit is None else issues[:limit]
    rows = [ISSUE_HEADERS] + [
        (i.file, "" if i.row is None else str(i.row), _clip(i.column, 30), _clip(i.value),
         f"{i.reason_ja} / {i.reason_en}") for i in shown
    ]
    widths = [max(_width(r[n]) for r in rows) for n in range(4)]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[n]) for n, cell in enumerate(row[:4])) + "  " + row[4])
        if index == 0:
            lines.append("-" * (sum(widths) + 8 + 20))
    if limit is not None and len(issues) > limit:
        lines.append(f"… ほか {len(issues) - limit:,} 件 / and {len(issues) - limit:,} more (--report-json で全件)")
    return "\n".join(lines)


def format_summary(plan: Plan, *, applied: bool) -> str:
    created, updated = ("作成", "更新") if applied else ("作成予定", "更新予定")
    def right(text: str, width: int) -> str:
        return " " * max(0, width - _width(text)) + text

    lines = [_pad("table / 表", 26) + right(f"{created} / create", 20) + right(f"{updated} / update", 20)
             + right("変更なし / unchanged", 22)]
    for name, table_plan in plan.tables.items():
        lines.append(_pad(f"{name}（{schema.TABLES[name].ja}）", 26) + right(f"{len(table_plan.create):,}", 20)
                     + right(f"{len(table_plan.update):,}", 20) + right(f"{table_plan.unchanged:,}", 22))
    if plan.new_platforms:
        lines.append("新しい共通基盤を作成 / new shared platforms created: " + ", ".join(plan.new_platforms)
                     + (" (予定 / would be)" if not applied else ""))
    return "\n".join(lines)


def format_details(plan: Plan, *, limit: int | None = 50) -> str:
    """Rows to create and field-level changes of rows to update, per table."""
    lines = []
    for name, table_plan in plan.tables.items():
        if table_plan.is_empty:
            continue
        lines.append(f"[{name}（{schema.TABLES[name].ja}）]")
        creates = table_plan.create if limit is None else table_plan.create[:limit]
        lines += [f"  + {key_label(key)}" for key in creates]
        if len(creates) < len(table_plan.create):
            lines.append(f"  + … ほか {len(table_plan.create) - len(creates):,} 件 / and more")
        updates = table_plan.update if limit is None else table_plan.update[:limit]
        for key in updates:
            lines.append(f"  ~ {key_label(key)}")
            for field, old, new in table_plan.changes[key]:
                lines.append(f"      {field}: {_clip(values.display(old), 60)} → {_clip(values.display(new), 60)}")
        if len(updates) < len(table_plan.update):
            lines.append(f"  ~ … ほか {len(table_plan.update) - len(updates):,} 件 / and more")
    return "\n".join(lines)
