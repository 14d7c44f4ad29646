"""Reading interchange files (CSV, XLSX, JSON) into raw tables: headers resolved, cells still as given.

No Django and no database: everything here can be tested on bytes. Problems are collected as `Issue`s
(file, row, column, value, reason in Japanese and English) rather than raised, so one run reports them all.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import schema

READABLE_SUFFIXES = (".csv", ".xlsx", ".json")
STANDARD, IT_DASHBOARD = "standard", "it_dashboard"


@dataclass
class Issue:
    """One problem in the input, located as precisely as possible (row 1 is the header row)."""

    file: str
    row: int | None
    column: str
    value: str
    reason_ja: str
    reason_en: str

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value,
                "reason_ja": self.reason_ja, "reason_en": self.reason_en}


@dataclass
class Source:
    """One input file: a name for reports and a way to open its bytes."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    def open(self):
        return open(self.path, "rb") if self.path is not None else io.BytesIO(self.data or b"")

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return Path(self.name).stem


@dataclass
class RawTable:
    """One table as read: which column each position holds, and the rows (row number, cells)."""

    table: schema.Table
    source: str
    headers: list[str]
    columns: list[str | None]
    layout: str = STANDARD
    # CSV and XLSX cells may carry the apostrophe added by formula neutralisation on export.
    spreadsheet: bool = True
    _rows: list | None = None
    _open_rows: object = None
    present: set[str] = field(default_factory=set)

    def rows(self) -> Iterator[tuple[int, list]]:
        if self._rows is not None:
            return iter(self._rows)
        return self._open_rows()


def sources_from_paths(paths: Iterable[str | Path]) -> tuple[list[Source], list[Issue]]:
    """Files as given, folders expanded to their CSV, XLSX and JSON files (sorted by name)."""
    sources, issues = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES
                           and not p.stem.startswith("data_dictionary"))
            if not found:
                issues.append(Issue(str(path), None, "", "", "読み込めるファイル（CSV・XLSX・JSON）がありません",
                                    "No CSV, XLSX or JSON files in this folder"))
            sources += [Source(name=str(p), path=p) for p in found]
        elif path.is_file():
            sources.append(Source(name=str(path), path=path))
        else:
            issues.append(Issue(str(path), None, "", "", "ファイルが見つかりません", "File not found"))
    return sources, issues


def read_sources(sources: Iterable[Source]) -> tuple[list[RawTable], list[Issue]]:
    tables: list[RawTable] = []
    issues: list[Issue] = []
    for source in sources:
        reader = {".csv": read_csv, ".xlsx": read_xlsx, ".json": read_json}.get(source.suffix)
        if reader is None:
            issues.append(Issue(source.name, None, "", source.suffix, "対応していない形式です（CSV・XLSX・JSON）",
                                "Unsupported file type (CSV, XLSX or JSON)"))
            continue
        found, problems = reader(source)
        tables += found
        issues += problems
    return tables, issues


# --- CSV -------------------------------------------------------------------------------------------

def detect_encoding(source: Source) -> str | None:
    """UTF-8 (with or without BOM) or Shift_JIS (cp932), decided by decoding the whole file; None if neither."""
    with source.open() as stream:
        head = stream.read(3)
    if head == codecs.BOM_UTF8:
        candidates = ["utf-8-sig"]
    else:
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with source.open() as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_reader(source: Source, encoding: str):
    stream = io.TextIOWrapper(source.open(), encoding=encoding, newline="")
    return stream, csv.reader(stream)


def read_csv(source: Source) -> tuple[list[RawTable], list[Issue]]:
    encoding = detect_encoding(source)
    if encoding is None:
        return [], [Issue(source.name, None, "", "", "文字コードを判別できません（UTF-8 または Shift_JIS で保存してください）",
                          "Unreadable encoding (save as UTF-8 or Shift_JIS)")]
    stream, reader = _csv_reader(source, encoding)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Issue(source.name, 1, "", "", f"CSVとして読めません（{exc}）", f"Not a readable CSV ({exc})")]
    finally:
        stream.close()
    if not header or all(not h.strip() for h in header):
        return [], [Issue(source.name, 1, "", "", "見出し行がありません", "The header row is missing")]

    def open_rows():
        stream, reader = _csv_reader(source, encoding)
        try:
            next(reader, None)
            for number, cells in enumerate(reader, start=2):
                if cells and any(cells):
                    yield number, cells
        finally:
            stream.close()

    table, layout, issues = identify_table(source.name, source.stem, header)
    if table is None:
        return [], issues
    raw = RawTable(table=table, source=source.name, headers=list(header), columns=[], layout=layout,
                   _open_rows=open_rows)
    issues += resolve_columns(raw)
    return [raw], issues


# --- XLSX ------------------------------------------------------------------------------------------

def read_xlsx(source: Source) -> tuple[list[RawTable], list[Issue]]:
    import openpyxl  # imported here so CSV-only runs do not pay for it

    broken = Issue(source.name, None, "", "", "ワークブックが壊れているか、XLSX形式ではありません",
                   "The workbook is broken or not in XLSX format")
    try:
        with source.open() as stream:
            workbook = openpyxl.load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a damaged zip or XML
        return [], [broken]
    tables, issues = [], []
    try:
        sheets = [ws for ws in workbook.worksheets if schema.normalize_label(ws.title) not in schema.INSTRUCTION_SHEETS]
        for ws in sheets:
            name = f"{source.name} [{ws.title}]"
            rows = []
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                    rows.append((number, list(cells)))
            if not rows:
                continue
            header_number, header = rows[0]
            header = ["" if h is None else str(h) for h in header]
            while header and not header[-1].strip():
                header.pop()
            stem = ws.title if schema.table_for_label(ws.title) or len(sheets) > 1 else source.stem
            table, layout, problems = identify_table(name, stem, header)
            issues += problems
            if table is None:
                continue
            raw = RawTable(table=table, source=name, headers=header, columns=[], layout=layout, _rows=rows[1:])
            issues += resolve_columns(raw)
            tables.append(raw)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        return [], [broken]
    finally:
        workbook.close()
    return tables, issues


# --- JSON ------------------------------------------------------------------------------------------

def read_json(source: Source) -> tuple[list[RawTable], list[Issue]]:
    try:
        with source.open() as stream:
            document = json.loads(stream.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        return [], [Issue(source.name, None, "", "", "文字コードを判別できません（JSONはUTF-8です）",
                          "Unreadable encoding (JSON must be UTF-8)")]
    except json.JSONDecodeError as exc:
        return [], [Issue(source.name, exc.lineno, "", "", f"JSONとして読めません（{exc.msg}）",
                          f"Not valid JSON ({exc.msg})")]
    if not isinstance(document, dict):
        return [], [Issue(source.name, None, "", "", "JSONの最上位はオブジェクトにしてください",
                          'The top level must be an object {"format": "mieruka/1", ...}')]
    issues = []
    declared = document.get("format", schema.FORMAT_ID)
    if declared != schema.FORMAT_ID:
        issues.append(Issue(source.name, None, "format", str(declared), f"対応していない形式です（{schema.FORMAT_ID} のみ）",
                            f"Unsupported format (only {schema.FORMAT_ID})"))
    tables = []
    for key, items in document.items():
        if key == "format":
            continue
        table = schema.TABLES.get(key) or schema.table_for_label(key)
        name = f"{source.name} ({key})"
        if table is None:
            issues.append(Issue(source.name, None, key, "", "不明な表です", "Unknown table"))
            continue
        if not isinstance(items, list):
            issues.append(Issue(name, None, "", "", "表は配列にしてください", "A table must be an array"))
            continue
        headers: list[str] = []
        for item in items:
            if isinstance(item, dict):
                headers += [k for k in item if k not in headers]
        raw = RawTable(table=table, source=name, headers=headers, columns=[], spreadsheet=False)
        position = {h: i for i, h in enumerate(headers)}
        rows = []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                issues.append(Issue(name, number, "", str(item)[:50], "行はオブジェクトにしてください",
                                    "Each row must be an object"))
                continue
            cells = [None] * len(headers)
            for k, v in item.items():
                cells[position[k]] = v
            rows.append((number, cells))
        raw._rows = rows
        if rows:
            issues += resolve_columns(raw, header_row=None)
        tables.append(raw)
    return tables, issues


# --- headers ---------------------------------------------------------------------------------------

def _is_it_dashboard(header: list[str]) -> bool:
    names = {schema.normalize_label(h) for h in header}
    return all(c in names for c in schema.IT_DASHBOARD_REQUIRED)


def identify_table(name: str, stem: str, header: list[str]) -> tuple[schema.Table | None, str, list[Issue]]:
    """The table a file or sheet holds: by its name, else by its headers."""
    if _is_it_dashboard(header):
        return schema.TABLES["budgets"], IT_DASHBOARD, []
    table = schema.table_for_label(stem)
    if table is not None:
        return table, STANDARD, []
    # Not named after a table: take the one table whose headers cover the file's, key columns included.
    labels = {schema.normalize_label(h) for h in header if str(h).strip()}
    candidates = []
    for candidate in schema.TABLES.values():
        index = schema.header_index(candidate)
        known = {index[label] for label in labels if label in index}
        if labels and len(known) == len(labels) and set(candidate.key) - {"appropriation"} <= known:
            candidates.append(candidate)
    if len(candidates) == 1:
        return candidates[0], STANDARD, []
    names = ", ".join(f"{t.name}（{t.ja}）" for t in schema.TABLES.values())
    return None, STANDARD, [Issue(name, None, "", stem, f"どの表か判別できません。ファイル名またはシート名を表の名前にしてください: {names}",
                                  f"Cannot tell which table this is; name the file or sheet after a table: {names}")]


def resolve_columns(raw: RawTable, header_row: int | None = 1) -> list[Issue]:
    """Map each header to a column; report unknown, duplicated and missing required columns."""
    issues = []
    if raw.layout == IT_DASHBOARD:
        index = {c: c for c in schema.IT_DASHBOARD_COLUMNS}
        required: tuple[str, ...] = schema.IT_DASHBOARD_REQUIRED
    else:
        index = schema.header_index(raw.table)
        required = raw.table.required
    seen: dict[str, str] = {}
    for header in raw.headers:
        label = schema.normalize_label(header)
        if not label:
            raw.columns.append(None)
            continue
        column = index.get(label)
        if column is None:
            issues.append(Issue(raw.source, header_row, str(header), str(header), "不明な列です",
                                "Unknown column"))
            raw.columns.append(None)
        elif column in seen:
            issues.append(Issue(raw.source, header_row, str(header), str(header),
                                f"列が重複しています（{seen[column]}）", f"Duplicate column ({seen[column]})"))
            raw.columns.append(None)
        else:
            seen[column] = str(header)
            raw.columns.append(column)
    raw.present = set(seen)
    for name in required:
        if name not in seen:
            ja = raw.table.column(name).ja if raw.layout == STANDARD else name
            issues.append(Issue(raw.source, header_row, f"{name}（{ja}）", "", "必須の列がありません",
                                "A required column is missing"))
    return issues
