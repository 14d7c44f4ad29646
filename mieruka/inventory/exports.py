"""The systems list as a file: the rows of the download (CSV for the streaming URL; CSV or XLSX for the
background export), in the interchange `systems` columns plus one fiscal year's initial budget."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from mieruka.core.formatting import spreadsheet_safe


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


def system_csv_rows(queryset, *, fiscal_year: int):
    """Header and rows in the interchange `systems` columns plus that year's initial budget."""
    yield [
        "system_id", "name_ja", "name_en", "organization_code", "classification", "status", "purpose",
        "functions", "users", "annual_users", "hosting", "platforms", "important", "started_on", "retired_on",
        f"initial_budget_{fiscal_year}",
    ]
    for s in queryset.iterator(chunk_size=500):
        yield [spreadsheet_safe(v) for v in (
            s.system_id, s.name_ja, s.name_en, s.organization.code, s.classification, s.status, s.purpose,
            ";".join(s.functions or []), ";".join(s.users or []),
            "" if s.annual_users is None else s.annual_users, s.hosting,
            ";".join(p.code for p in s.platforms.all()), "true" if s.important else "false",
            s.started_on.isoformat() if s.started_on else "", s.retired_on.isoformat() if s.retired_on else "",
            "" if s.fy_budget is None else s.fy_budget,
        )]


def csv_echo_writer():
    return csv.writer(_Echo())


def system_export_write(*, path: Path, queryset, fiscal_year: int, fmt: str,
                        count: Callable[[int], None] = lambda n: None) -> int:
    """Write the list to `path` as CSV (UTF-8 with BOM, for Excel) or XLSX; return the number of systems."""
    rows = system_csv_rows(queryset, fiscal_year=fiscal_year)
    written = -1  # the header is not a system
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("systems")
        for row in rows:
            sheet.append(row)
            written += 1
            if written % 500 == 0:
                count(written)
        workbook.save(path)
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            for row in rows:
                writer.writerow(row)
                written += 1
                if written % 500 == 0:
                    count(written)
    return max(written, 0)
