"""Reading interchange files (CSV, XLSX, JSON) into raw tables: headers resolved, cells still as given.

No Django and no database: everything here can be tested on bytes. Problems are collected as `Issue`s
(file, row, column, value, reason in Japanese and English) rather than raised, so one run reports them all.

Every file is held to `Limits` (size, size when decompressed, rows, columns, cell length) before its
contents are parsed, so a hostile or mistaken file is refused in seconds with the limit named, instead of
exhausting memory or time.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from xml.etree.ElementTree import ParseError

from . import registry, schema

READABLE_SUFFIXES = (".csv", ".xlsx", ".json")
STANDARD, IT_DASHBOARD = "standard", "it_dashboard"
# The IT Dashboard's basic information of systems: only their classifications are imported.
IT_DASHBOARD_BASIC = "it_dashboard_basic"
# A contracts sheet in a published layout (RS 支出先, IT Dashboard spending): no contract number column.
PUBLISHED_SPENDING = "published_spending"
MB = 1024 * 1024
# A zip member this small cannot hurt, whatever its compression ratio (tiny XML parts compress oddly).
RATIO_CHECKED_FROM = MB
# Levels of a JSON document: the object, a table's array, a row object, a list cell's array.
JSON_DEPTH = 4


@dataclass(frozen=True)
class Limits:
    """What one import accepts; each limit is a setting, and its refusal names the setting and its value.

    The defaults leave room for the largest real files (a million budget lines, Excel's 32,767 characters
    per cell) while refusing in seconds a file that would exhaust memory or run for minutes.
    """

    file_mb: int = 512
    uncompressed_mb: int = 512
    compression_ratio: int = 100
    rows: int = 2_000_000
    columns: int = 100
    cell_chars: int = 32_767

    SETTINGS = {"file_mb": "MIERUKA_IMPORT_MAX_FILE_MB", "uncompressed_mb": "MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB",
                "compression_ratio": "MIERUKA_IMPORT_MAX_COMPRESSION_RATIO", "rows": "MIERUKA_IMPORT_MAX_ROWS",
                "columns": "MIERUKA_IMPORT_MAX_COLUMNS", "cell_chars": "MIERUKA_IMPORT_MAX_CELL_CHARS"}

    @classmethod
    def from_settings(cls, settings) -> Limits:
        return cls(**{name: int(getattr(settings, setting, getattr(cls, name)))
                      for name, setting in cls.SETTINGS.items()})

    def too_many_rows(self, source: str, count: int | None = None) -> Issue:
        seen_ja = f"、{count:,} 行" if count else ""
        seen_en = f"; this table has {count:,}" if count else ""
        return Issue(source, None, "", "",
                     f"行数が上限（MIERUKA_IMPORT_MAX_ROWS = {self.rows:,} 行）を超えています{seen_ja}。ファイルを分けてください",
                     f"More rows than the limit (MIERUKA_IMPORT_MAX_ROWS = {self.rows:,} rows{seen_en}); "
                     "split the file")

    def too_many_columns(self, source: str, row: int | None, count: int) -> Issue:
        return Issue(source, row, "", "",
                     f"列数が上限（MIERUKA_IMPORT_MAX_COLUMNS = {self.columns:,} 列）を超えています（{count:,} 列）",
                     f"More columns than the limit (MIERUKA_IMPORT_MAX_COLUMNS = {self.columns:,}; "
                     f"{count:,} given)")

    def cell_too_long(self, source: str, row: int | None, column: str, value: str) -> Issue:
        return Issue(source, row, column, value[:50],
                     f"セルの文字数が上限（MIERUKA_IMPORT_MAX_CELL_CHARS = {self.cell_chars:,} 文字）を超えています"
                     f"（{len(value):,} 文字）",
                     f"The cell is longer than the limit (MIERUKA_IMPORT_MAX_CELL_CHARS = {self.cell_chars:,} "
                     f"characters; {len(value):,} given)")


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
    def size(self) -> int:
        return self.path.stat().st_size if self.path is not None else len(self.data or b"")

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
    # Every cell is a string (CSV): the cell-length check takes one pass per row.
    text_cells: bool = False
    _rows: list | None = None
    _open_rows: object = None
    present: set[str] = field(default_factory=set)
    limits: Limits = field(default_factory=Limits)
    # Rows refused by a limit while reading (each skipped), or why the file could not be read to its end;
    # filled in as `rows()` is iterated, collected by validation.
    row_issues: list[Issue] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list]]:
        return self._checked(iter(self._rows) if self._rows is not None else self._open_rows())

    def _column_name(self, index: int) -> str:
        return str(self.headers[index]) if index < len(self.headers) else f"{index + 1}列目"

    def _checked(self, rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
        """The rows within the limits; a row over the column or cell-length limit is reported and skipped."""
        self.row_issues = []
        limits = self.limits
        max_rows, max_columns, max_chars, text_cells = limits.rows, limits.columns, limits.cell_chars, self.text_cells
        join = "".join
        try:
            # A million budget rows pass through here. In the common case (CSV: all text) one join answers
            # for every cell of the row: no cell is longer than the whole row.
            for count, (number, cells) in enumerate(rows, start=1):
                if text_cells and len(cells) <= max_columns and len(join(cells)) <= max_chars and count <= max_rows:
                    yield number, cells
                    continue
                if count > max_rows:
                    break
                if len(cells) > max_columns:
                    self.row_issues.append(limits.too_many_columns(self.source, number, len(cells)))
                    continue
                long = next((i for i, c in enumerate(cells) if isinstance(c, str) and len(c) > max_chars), None)
                if long is not None:
                    self.row_issues.append(limits.cell_too_long(self.source, number, self._column_name(long),
                                                                cells[long]))
                    continue
                yield number, cells
            else:
                return
            self.row_issues.append(limits.too_many_rows(self.source))
        except (csv.Error, zipfile.BadZipFile, ParseError, KeyError, ValueError, OSError, TypeError) as exc:
            self.row_issues.append(Issue(self.source, None, "", "", f"ファイルを最後まで読めません（{exc}）",
                                         f"The file cannot be read to its end ({exc})"))


def _header_problem(name: str, row: int | None, header: list, limits: Limits) -> Issue | None:
    """A header over the column limit, or with a name over the cell-length limit."""
    if len(header) > limits.columns:
        return limits.too_many_columns(name, row, len(header))
    long = next((i for i, h in enumerate(header) if len(str(h)) > limits.cell_chars), None)
    if long is not None:
        return limits.cell_too_long(name, row, f"{long + 1}列目", str(header[long]))
    return None


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


def read_sources(sources: Iterable[Source], limits: Limits | None = None) -> tuple[list[RawTable], list[Issue]]:
    limits = limits or Limits()
    tables: list[RawTable] = []
    issues: list[Issue] = []
    for source in sources:
        reader = {".csv": read_csv, ".xlsx": read_xlsx, ".json": read_json}.get(source.suffix)
        if reader is None:
            issues.append(Issue(source.name, None, "", source.suffix, "対応していない形式です（CSV・XLSX・JSON）",
                                "Unsupported file type (CSV, XLSX or JSON)"))
            continue
        size = source.size
        if size > limits.file_mb * MB:
            issues.append(Issue(source.name, None, "", "",
                                f"ファイルが大きすぎます（上限 MIERUKA_IMPORT_MAX_FILE_MB = {limits.file_mb:,} MB、"
                                f"このファイル {size / MB:,.1f} MB）",
                                f"The file is too large (limit MIERUKA_IMPORT_MAX_FILE_MB = {limits.file_mb:,} MB; "
                                f"this file: {size / MB:,.1f} MB)"))
            continue
        found, problems = reader(source, limits)
        for raw in found:
            raw.limits = limits
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
    # The csv module's own guard (131,072 characters per field) would raise without naming row or column;
    # cell length is checked against MIERUKA_IMPORT_MAX_CELL_CHARS instead, and no field can be longer
    # than the file, whose size is limited.
    csv.field_size_limit(max(csv.field_size_limit(), source.size + 1))
    stream = io.TextIOWrapper(source.open(), encoding=encoding, newline="")
    return stream, csv.reader(stream)


def _count_lines(source: Source) -> int:
    with source.open() as stream:
        return sum(chunk.count(b"\n") for chunk in iter(partial(stream.read, MB), b""))


def _more_rows_than(source: Source, encoding: str, limit: int) -> bool:
    """Whether the CSV has more than `limit` data rows: newlines bound the rows from above, so only a file
    with more lines than the limit is parsed, and only until the limit is passed."""
    if _count_lines(source) <= limit:
        return False
    stream, reader = _csv_reader(source, encoding)
    try:
        next(reader, None)
        for count, _ in enumerate(reader, start=1):
            if count > limit:
                return True
    except csv.Error:
        return False  # reported with its row when the rows are read
    finally:
        stream.close()
    return False


def read_csv(source: Source, limits: Limits | None = None) -> tuple[list[RawTable], list[Issue]]:
    limits = limits or Limits()
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
    problem = _header_problem(source.name, 1, header, limits)
    if problem is not None:
        return [], [problem]
    if _more_rows_than(source, encoding, limits.rows):
        return [], [limits.too_many_rows(source.name)]

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
                   text_cells=True, _open_rows=open_rows)
    issues += resolve_columns(raw)
    return [raw], issues


# --- XLSX ------------------------------------------------------------------------------------------

def _zip_problem(source: Source, limits: Limits) -> Issue | None:
    """Refuse a workbook that would expand beyond the limits, from the sizes its zip directory declares.

    Read before any part is decompressed. The declared sizes bind: zipfile stops at a member's declared size
    and fails its checksum if more data follows, so a member that lies cannot expand further.
    """
    with source.open() as stream, zipfile.ZipFile(stream) as archive:
        members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > limits.uncompressed_mb * MB:
        return Issue(source.name, None, "", "",
                     f"展開後のサイズが上限（MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB = {limits.uncompressed_mb:,} MB）を"
                     f"超えています（{total / MB:,.0f} MB）",
                     f"Larger than the limit when decompressed (MIERUKA_IMPORT_MAX_UNCOMPRESSED_MB = "
                     f"{limits.uncompressed_mb:,} MB; this workbook: {total / MB:,.0f} MB)")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM and ratio > limits.compression_ratio:
            return Issue(source.name, None, "", member.filename,
                         f"圧縮率が上限（MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = {limits.compression_ratio:,} 倍）を"
                         f"超えています（{member.filename}: {ratio:,.0f} 倍）。zip爆弾の疑いがあるため読み込みません",
                         f"Compressed more than the limit (MIERUKA_IMPORT_MAX_COMPRESSION_RATIO = "
                         f"{limits.compression_ratio:,}; {member.filename}: {ratio:,.0f}); refused as a possible "
                         "zip bomb")
    return None


def _open_workbook(source: Source):
    import openpyxl  # imported here so CSV-only runs do not pay for it

    # read_only streams each sheet's XML instead of building the whole workbook in memory.
    return openpyxl.load_workbook(source.path if source.path is not None else io.BytesIO(source.data or b""),
                                  read_only=True, data_only=True)


def _is_blank_row(cells) -> bool:
    return not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells)


def _trimmed(cells) -> list:
    """A row without its trailing empty cells (a stray format far to the right pads every row)."""
    cells = list(cells)
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _xlsx_rows(source: Source, title: str, after: int) -> Iterator[tuple[int, list]]:
    """The non-blank rows of one sheet below its header, streamed from a workbook opened for this pass."""
    workbook = _open_workbook(source)
    try:
        sheet = workbook[title]
        sheet.reset_dimensions()  # see read_xlsx
        for number, cells in enumerate(sheet.iter_rows(min_row=after + 1, values_only=True), start=after + 1):
            if not _is_blank_row(cells):
                yield number, _trimmed(cells)
    finally:
        workbook.close()


def read_xlsx(source: Source, limits: Limits | None = None) -> tuple[list[RawTable], list[Issue]]:
    limits = limits or Limits()
    broken = Issue(source.name, None, "", "", "ワークブックが壊れているか、XLSX形式ではありません",
                   "The workbook is broken or not in XLSX format")
    try:
        problem = _zip_problem(source, limits)
        if problem is not None:
            return [], [problem]
        workbook = _open_workbook(source)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a damaged zip or XML
        return [], [broken]
    tables, issues = [], []
    try:
        sheets = [ws for ws in workbook.worksheets if schema.normalize_label(ws.title) not in schema.INSTRUCTION_SHEETS]
        for ws in sheets:
            name = f"{source.name} [{ws.title}]"
            # The extent a sheet declares refuses a huge sheet at once. It is not trusted further: read-only
            # openpyxl would silently drop every row and column beyond it, so it is reset before reading,
            # and the rows are counted as they are read.
            if (ws.max_row or 0) - 1 > limits.rows:
                issues.append(limits.too_many_rows(name, ws.max_row - 1))
                continue
            ws.reset_dimensions()
            found = next(((n, c) for n, c in enumerate(ws.iter_rows(values_only=True), start=1)
                          if not _is_blank_row(c)), None)
            if found is None:
                continue
            header_number, header = found
            header = ["" if h is None else str(h) for h in _trimmed(header)]
            problem = _header_problem(name, header_number, header, limits)
            if problem is not None:
                issues.append(problem)
                continue
            while header and not header[-1].strip():
                header.pop()
            stem = ws.title if schema.table_for_label(ws.title) or len(sheets) > 1 else source.stem
            table, layout, problems = identify_table(name, stem, header)
            issues += problems
            if table is None:
                continue
            raw = RawTable(table=table, source=name, headers=header, columns=[], layout=layout,
                           _open_rows=partial(_xlsx_rows, source, ws.title, header_number))
            issues += resolve_columns(raw)
            tables.append(raw)
    except (zipfile.BadZipFile, ParseError, KeyError, ValueError, OSError, TypeError):
        return [], [broken]
    finally:
        workbook.close()
    return tables, issues


# --- JSON ------------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]')


def _json_nesting(text: str) -> tuple[str, int | None, str] | None:
    """Where a JSON document first nests deeper than its format allows: (table, row, field).

    Only run when the parser gave up on the depth, so that the error can still name row and field. Scalars
    other than strings are not tokens; an array's element index is counted from its commas.
    """
    stack: list[list] = []  # per open container: [kind, last key (object) or element index (array)]
    pending = None  # the last string, a key if a colon follows
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token == ":":
            if stack and stack[-1][0] == "{" and pending is not None:
                stack[-1][1] = pending
            continue
        top = stack[-1] if stack else None
        if top and top[0] == "[" and top[1] == 0 and token not in ("]", ","):
            top[1] = 1
        if token[0] == '"':
            pending = token
            continue
        pending = None
        if token in ("{", "["):
            stack.append([token, None if token == "{" else 0])
            if len(stack) > JSON_DEPTH:
                if stack[0][0] != "{" or stack[1][0] != "[" or stack[0][1] is None:
                    return None
                field = stack[2][1] if stack[2][0] == "{" and stack[2][1] is not None else '""'
                return json.loads(stack[0][1]), stack[1][1], json.loads(field)
        elif token in ("}", "]"):
            if stack:
                stack.pop()
        elif token == "," and top and top[0] == "[":
            top[1] = max(top[1], 1) + 1
    return None


NESTED_JA = "セルに入れ子の値は使えません（値か、値の配列にしてください）"
NESTED_EN = "A cell cannot hold nested values (give a value or an array of values)"


def _json_cell_problem(value, limits: Limits) -> tuple[str, str | None] | None:
    """A JSON cell's problem: ("nested", None), ("long", the text too long), or None."""
    items = value if isinstance(value, list) else [value]
    if isinstance(value, dict) or any(isinstance(item, list | dict) for item in items):
        return "nested", None
    long = next((item for item in items if isinstance(item, str) and len(item) > limits.cell_chars), None)
    return ("long", long) if long is not None else None


def read_json(source: Source, limits: Limits | None = None) -> tuple[list[RawTable], list[Issue]]:
    limits = limits or Limits()
    try:
        with source.open() as stream:
            text = stream.read().decode("utf-8-sig")
        document = json.loads(text)
    except UnicodeDecodeError:
        return [], [Issue(source.name, None, "", "", "文字コードを判別できません（JSONはUTF-8です）",
                          "Unreadable encoding (JSON must be UTF-8)")]
    except json.JSONDecodeError as exc:
        return [], [Issue(source.name, exc.lineno, "", "", f"JSONとして読めません（{exc.msg}）",
                          f"Not valid JSON ({exc.msg})")]
    except RecursionError:
        where = _json_nesting(text)
        if where is None:
            return [], [Issue(source.name, None, "", "", NESTED_JA, NESTED_EN)]
        key, row, column = where
        return [], [Issue(f"{source.name} ({key})", row, column, "", NESTED_JA, NESTED_EN)]
    except ValueError as exc:  # an integer too long to convert, for one
        return [], [Issue(source.name, None, "", "", f"JSONとして読めません（{exc}）", f"Not valid JSON ({exc})")]
    if not isinstance(document, dict):
        return [], [Issue(source.name, None, "", "", "JSONの最上位はオブジェクトにしてください",
                          'The top level must be an object {"format": "mieruka/1", ...}')]
    issues = []
    declared = document.get("format", schema.FORMAT_ID)
    if declared != schema.FORMAT_ID:
        issues.append(Issue(source.name, None, "format", str(declared)[:50],
                            f"対応していない形式です（{schema.FORMAT_ID} のみ）",
                            f"Unsupported format (only {schema.FORMAT_ID})"))
    tables = []
    for key, items in document.items():
        if key == "format":
            continue
        if key in registry.EXPORT_TABLES:
            continue  # imported by the app that registered it
        table = schema.TABLES.get(key) or schema.table_for_label(key)
        name = f"{source.name} ({key})"
        if table is None:
            issues.append(Issue(source.name, None, key[:50], "", "不明な表です", "Unknown table"))
            continue
        if not isinstance(items, list):
            issues.append(Issue(name, None, "", "", "表は配列にしてください", "A table must be an array"))
            continue
        if len(items) > limits.rows:
            issues.append(limits.too_many_rows(name, len(items)))
            continue
        headers: list[str] = []
        for item in items:
            if isinstance(item, dict):
                headers += [k for k in item if k not in headers]
                if len(headers) > limits.columns:
                    break
        problem = _header_problem(name, None, headers, limits)
        if problem is not None:
            issues.append(problem)
            continue
        raw = RawTable(table=table, source=name, headers=headers, columns=[], spreadsheet=False)
        position = {h: i for i, h in enumerate(headers)}
        rows = []
        for number, item in enumerate(items, start=1):
            if not isinstance(item, dict):
                issues.append(Issue(name, number, "", str(item)[:50], "行はオブジェクトにしてください",
                                    "Each row must be an object"))
                continue
            cells, ok = [None] * len(headers), True
            for k, v in item.items():
                problem = _json_cell_problem(v, limits)
                if problem is not None:
                    kind, text = problem
                    issues.append(Issue(name, number, k, "", NESTED_JA, NESTED_EN) if kind == "nested"
                                  else limits.cell_too_long(name, number, k, text))
                    ok = False
                cells[position[k]] = v
            if ok:
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


def _is_it_dashboard_basic(header: list[str]) -> bool:
    """The IT Dashboard's system list: its own name column (`system_name`, not `name_ja`), no budget."""
    names = {schema.normalize_label(h) for h in header}
    return all(c in names for c in schema.IT_DASHBOARD_BASIC_REQUIRED) and "name_ja" not in names and any(
        code in names for code, _ in schema.IT_DASHBOARD_CLASSIFICATIONS.values())


def _is_published_spending(header: list[str]) -> bool:
    """Vendor and amount columns (under any accepted name) without a contract number: RS 支出先 and alike."""
    index = schema.header_index(schema.TABLES["contracts"])
    columns = {index.get(schema.normalize_label(h)) for h in header}
    return {"vendor_name", "amount_yen"} <= columns and "contract_number" not in columns


def identify_table(name: str, stem: str, header: list[str]) -> tuple[schema.Table | None, str, list[Issue]]:
    """The table a file or sheet holds: by its name, else by its headers."""
    if _is_it_dashboard(header):
        return schema.TABLES["budgets"], IT_DASHBOARD, []
    if _is_it_dashboard_basic(header):
        return schema.TABLES["systems"], IT_DASHBOARD_BASIC, []
    if _is_published_spending(header):
        return schema.TABLES["contracts"], PUBLISHED_SPENDING, []
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
    elif raw.layout == IT_DASHBOARD_BASIC:
        index = {c: c for c in schema.IT_DASHBOARD_BASIC_COLUMNS}
        required = schema.IT_DASHBOARD_BASIC_REQUIRED
    elif raw.layout == PUBLISHED_SPENDING:
        index = schema.header_index(raw.table)
        required = schema.PUBLISHED_SPENDING_REQUIRED
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
        if column is None and raw.layout == PUBLISHED_SPENDING and label in {
                schema.normalize_label(d) for d in schema.PUBLISHED_SPENDING_DESCRIPTIVE}:
            raw.columns.append(None)  # descriptive columns of the published sheet: accepted, not imported
            continue
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
            ja = raw.table.column(name).ja if raw.layout not in (IT_DASHBOARD, IT_DASHBOARD_BASIC) else name
            issues.append(Issue(raw.source, header_row, f"{name}（{ja}）", "", "必須の列がありません",
                                "A required column is missing"))
    return issues
