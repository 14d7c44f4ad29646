"""The systems list as a file: the rows of the download (CSV for the streaming URL; CSV or XLSX for the
background export), in the interchange `systems` columns plus one fiscal year's initial budget."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from mieruka.core.formatting import spreadsheet_safe


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The figure columns a list view may add to the download, with their header (English keys, like the
# interchange columns) and the annotation they read.
FIGURE_HEADERS = {"development": "development_{fy}", "operating": "operation_{fy}", "executed": "executed_{fy}",
                  "rate": "execution_rate_{fy}", "yoy": "change_from_previous_year_{fy}", "fte": "pjmo_fte"}


def _figure_value(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 1)
    return value


def system_csv_rows(queryset, *, fiscal_year: int, columns=()):
    """Header and rows in the interchange `systems` columns plus that year's initial budget, then the
    figure columns of the view (`columns`, see `columns.SYSTEM_COLUMNS`) the list showed."""
    figures = [c for c in columns if c.key in FIGURE_HEADERS]
    yield [
        "system_id", "name_ja", "name_en", "organization_code", "classification", "status", "purpose",
        "functions", "users", "annual_users", "hosting", "platforms", "important", "started_on", "retired_on",
        "processing_class", "architecture", "consolidation", "platform_integration", f"initial_budget_{fiscal_year}",
        *[FIGURE_HEADERS[c.key].format(fy=fiscal_year) for c in figures],
    ]
    # Plain tuples and one query for every row's platforms: building 50,000 model instances (and a
    # prefetch per chunk) took most of the export's time.
    platforms = _platform_codes(queryset)
    rows = queryset.prefetch_related(None).values_list(
        "pk", "system_id", "name_ja", "name_en", "organization__code", "classification", "status", "purpose",
        "functions", "users", "annual_users", "hosting", "important", "started_on", "retired_on",
        "processing_class", "architecture", "consolidation", "platform_integration", "fy_budget",
        *[c.figure for c in figures],
    )
    for (pk, system_id, name_ja, name_en, organization, classification, status, purpose, functions, users,
         annual_users, hosting, important, started_on, retired_on, processing_class, architecture, consolidation,
         platform_integration, fy_budget, *extra) in rows.iterator(chunk_size=2000):
        yield [spreadsheet_safe(v) for v in (
            system_id, name_ja, name_en, organization, classification, status, purpose,
            ";".join(functions or []), ";".join(users or []),
            "" if annual_users is None else annual_users, hosting,
            ";".join(platforms.get(pk, ())), "true" if important else "false",
            started_on.isoformat() if started_on else "", retired_on.isoformat() if retired_on else "",
            processing_class, architecture, consolidation, platform_integration,
            "" if fy_budget is None else fy_budget, *[_figure_value(v) for v in extra],
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
                        count: Callable[[int], None] = lambda n: None, columns=()) -> int:
    """Write the list to `path` as CSV (UTF-8 with BOM, for Excel) or XLSX; return the number of systems."""
    rows = system_csv_rows(queryset, fiscal_year=fiscal_year, columns=columns)
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


def project_rows(queryset, *, columns):
    """Header and rows of the projects list: ID, name, then the view's columns (amounts in yen)."""
    getters = {
        "organization": ("organization_code", lambda p: p.organization.code if p.organization else ""),
        "phase": ("phase", lambda p: p.phase),
        "systems": ("systems", lambda p: ";".join(s.system_id for s in p.systems.all())),
        "staff": ("pjmo_staff", lambda p: p.pjmo_staff),
        "external": ("pjmo_external", lambda p: p.pjmo_external),
        "development": ("development", lambda p: p.fy_development_budget),
        "budget": ("operation", lambda p: p.fy_operation_budget),
        "important": ("important", lambda p: "true" if p.important else "false"),
    }
    chosen = [getters[c.key] for c in columns if c.key in getters]
    yield ["project_id", "name_ja", *[header for header, _get in chosen], "important"]
    for project in queryset.iterator(chunk_size=500):
        yield [spreadsheet_safe(v) for v in (
            project.project_id, project.name_ja,
            *[_blank_none(get(project)) for _header, get in chosen],
            "true" if project.important else "false",
        )]


def _blank_none(value):
    return "" if value is None else value


def rows_to_xlsx(rows, *, sheet: str) -> bytes:
    """Rows (the first a header) as an XLSX workbook, written in streaming mode."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
