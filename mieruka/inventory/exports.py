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
        "processing_class", "architecture", "consolidation", "platform_integration", f"initial_budget_{fiscal_year}",
    ]
    # Plain tuples and one query for every row's platforms: building 50,000 model instances (and a
    # prefetch per chunk) took most of the export's time.
    platforms = _platform_codes(queryset)
    rows = queryset.prefetch_related(None).values_list(
        "pk", "system_id", "name_ja", "name_en", "organization__code", "classification", "status", "purpose",
        "functions", "users", "annual_users", "hosting", "important", "started_on", "retired_on",
        "processing_class", "architecture", "consolidation", "platform_integration", "fy_budget",
    )
    for (pk, system_id, name_ja, name_en, organization, classification, status, purpose, functions, users,
         annual_users, hosting, important, started_on, retired_on, processing_class, architecture, consolidation,
         platform_integration, fy_budget) in rows.iterator(chunk_size=2000):
        yield [spreadsheet_safe(v) for v in (
            system_id, name_ja, name_en, organization, classification, status, purpose,
            ";".join(functions or []), ";".join(users or []),
            "" if annual_users is None else annual_users, hosting,
            ";".join(platforms.get(pk, ())), "true" if important else "false",
            started_on.isoformat() if started_on else "", retired_on.isoformat() if retired_on else "",
            processing_class, architecture, consolidation, platform_integration,
            "" if fy_budget is None else fy_budget,
        )]


def _platform_codes(queryset) -> dict[int, list[str]]:
    """Platform codes of every system in `queryset`, in code order, keyed by system pk."""
    from .models import InformationSystem

    links = (InformationSystem.platforms.through.objects
             .filter(informationsystem_id__in=queryset.order_by().values("pk"))
             .order_by("sharedplatform__code")
             .values_list("informationsystem_id", "sharedplatform__code"))
    codes: dict[int, list[str]] = {}
    for system, code in links.iterator(chunk_size=5000):
        codes.setdefault(system, []).append(code)
    return codes


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
