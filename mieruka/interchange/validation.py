"""Turning raw tables into typed records, checking every row and every reference (no database access).

What the database already holds comes in as `Known` (sets and maps built by the selectors), so the rules
are plain Python and tests need no ORM. Tables are validated in dependency order, and a row may refer to
rows of the same import: a budget may name a system that the same import creates.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field

from mieruka.contracts.rules import RATE_TOLERANCE, award_rate_of, is_single_bid
from mieruka.monitoring import risk
from mieruka.organizations.validators import corporate_number_is_valid, local_government_code_is_valid
from mieruka.reviews.checklists import checklist_for_phase
from mieruka.security import sla
from mieruka.staffing.models import FTE_LIMIT as STAFFING_FTE_LIMIT

from . import schema, values
from .readers import IT_DASHBOARD, IT_DASHBOARD_BASIC, PUBLISHED_SPENDING, Issue, RawTable

# A million contracts name a few thousand vendors: check each 法人番号 once.
_corporate_number_ok = functools.lru_cache(maxsize=8192)(corporate_number_is_valid)

# The award-rate column's limit (max_digits=6, two places), as `parse_rate` bounds a rate typed in.
MAX_AWARD_RATE = 10_000


@dataclass
class Known:
    """Identifiers already in the database."""

    organization_parents: dict[str, str] = field(default_factory=dict)  # code → parent code ("" if none)
    organization_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (parent code, name_ja)
    system_organizations: dict[str, str] = field(default_factory=dict)  # system_id → organization code
    platform_codes: set[str] = field(default_factory=set)
    project_phases: dict[str, str] = field(default_factory=dict)  # project_id → phase
    review_phases: dict[tuple, str] = field(default_factory=dict)  # (project_id, fiscal_year, stage) → phase
    finding_counts: dict[tuple, int] = field(default_factory=dict)  # review key → findings stored
    usernames: set[str] = field(default_factory=set)
    previous_system_ids: dict[str, str] = field(default_factory=dict)  # an ID before a rename → current ID
    project_frequencies: dict[str, str] = field(default_factory=dict)  # project_id → reporting frequency
    baselines: dict[tuple, dict] = field(default_factory=dict)  # (project_id, kind, set_on) → stored record


@dataclass
class ParsedTable:
    """Valid rows of one table, by key; each record holds only the columns its file had."""

    name: str
    records: dict = field(default_factory=dict)
    where: dict = field(default_factory=dict)  # key → (file, row)
    present: set[str] = field(default_factory=set)


@dataclass
class Parsed:
    tables: dict[str, ParsedTable]
    new_platforms: list[str]
    files: list[str]


class _Collector:
    def __init__(self):
        self.issues: list[Issue] = []
        # A sheet in a published layout is reported under its own headers (法人番号, not vendor_corporate_number):
        # its reader never saw the interchange names.
        self.published_headers: dict[str, dict[str, str]] = {}

    def add(self, source, row, column, value, reason_ja, reason_en):
        text = "" if value is None else values._text(value)
        column = self.published_headers.get(source, {}).get(column, column)
        self.issues.append(Issue(source, row, column, text[:200], reason_ja, reason_en))


def _header_of(raw: RawTable, name: str) -> str:
    for header, column in zip(raw.headers, raw.columns, strict=False):
        if column == name:
            return str(header)
    return name


def validate(raw_tables: list[RawTable], known: Known, progress=None) -> tuple[Parsed, list[Issue]]:
    """Check every row of every table; return the valid records and all problems found.

    `progress(message)`, if given, hears about every 100,000 budget rows read.
    """
    out = _Collector()
    by_table: dict[str, list[RawTable]] = {name: [] for name in schema.TABLE_ORDER}
    for raw in raw_tables:
        by_table[raw.table.name].append(raw)
    parsed = {name: ParsedTable(name) for name in schema.TABLE_ORDER}
    for name in ("organizations", "systems", "projects", "interfaces"):
        for raw in by_table[name]:
            if raw.layout != IT_DASHBOARD_BASIC:
                _parse_generic(raw, parsed[name], out)
    for name in ("systems", "projects", "interfaces"):
        _follow_renames(parsed[name], known.previous_system_ids, out)
    _check_organizations(parsed["organizations"], known, out)
    organization_codes = set(known.organization_parents) | {key[0] for key in parsed["organizations"].records}
    new_platforms = _check_systems(parsed["systems"], known, organization_codes, out)
    system_organizations = dict(known.system_organizations)
    for key, record in parsed["systems"].records.items():
        system_organizations[key[0]] = record.get("organization_code") or system_organizations.get(key[0], "")
    for raw in by_table["systems"]:
        if raw.layout == IT_DASHBOARD_BASIC:
            classified = {}
            _parse_dashboard_basic(raw, system_organizations, known.previous_system_ids, classified, out)
            _merge_classifications(parsed["systems"], classified)
    for raw in by_table["budgets"]:
        classified: dict[str, tuple] = {}
        _parse_budgets(raw, parsed["budgets"], system_organizations, out, progress,
                       aliases=known.previous_system_ids, classified=classified)
        _merge_classifications(parsed["systems"], classified)
    _check_projects(parsed["projects"], system_organizations, organization_codes, out)
    _check_interfaces(parsed["interfaces"], system_organizations, out)
    organization_names = {(parent, unicodedata.normalize("NFKC", name).strip()): code
                          for code, (parent, name) in known.organization_names.items()}
    organization_names.update({(record.get("parent_code") or "", unicodedata.normalize("NFKC", record["name_ja"]).strip()): key[0]
                               for key, record in parsed["organizations"].records.items() if record.get("name_ja")})
    for raw in by_table["contracts"]:
        _parse_generic(raw, parsed["contracts"], out, organization_names=organization_names)
    project_ids = set(known.project_phases) | {key[0] for key in parsed["projects"].records}
    _check_contracts(parsed["contracts"], system_organizations, organization_codes, project_ids, out)
    for raw in by_table["cloud_usage"]:
        _parse_generic(raw, parsed["cloud_usage"], out)
    for key, record in parsed["cloud_usage"].records.items():
        source, row = parsed["cloud_usage"].where[key]
        if record["system_id"] not in system_organizations:
            out.add(source, row, "system_id", record["system_id"], "情報システムIDが見つかりません", "Unknown system")
        if record["month"].day != 1:
            out.add(source, row, "month", record["month"], "利用月は1日の日付で指定してください（例 2025-04-01）",
                    "Give the month as its first day (e.g. 2025-04-01)")
    for raw in by_table["digital_staffing"]:
        _parse_generic(raw, parsed["digital_staffing"], out)
    for key, record in parsed["digital_staffing"].records.items():
        source, row = parsed["digital_staffing"].where[key]
        if record["organization_code"] not in organization_codes:
            out.add(source, row, "organization_code", record["organization_code"], "組織コードが見つかりません",
                    "Unknown organization")
        for column in ("internal_fte", "external_fte", "internal_target_fte"):
            value = record.get(column)
            if value is not None and value > STAFFING_FTE_LIMIT:
                out.add(source, row, column, value, f"{STAFFING_FTE_LIMIT:,}以下の値にしてください",
                        f"At most {STAFFING_FTE_LIMIT:,}")
    for raw in by_table["security_findings"]:
        _parse_generic(raw, parsed["security_findings"], out)
    _follow_renames(parsed["security_findings"], known.previous_system_ids, out)
    _check_security_findings(parsed["security_findings"], system_organizations, out)
    for name in schema.OVERSIGHT_TABLES:
        for raw in by_table[name]:
            _parse_generic(raw, parsed[name], out)
        _follow_renames(parsed[name], known.previous_system_ids, out)
    project_phases = dict(known.project_phases)
    for key, record in parsed["projects"].records.items():
        project_phases[key[0]] = record.get("phase") or project_phases.get(key[0], "")
    review_phases = _check_reviews(parsed["reviews"], known, project_phases, out)
    _check_findings(parsed["findings"], known, review_phases, out)
    frequencies = dict(known.project_frequencies)
    for key, record in parsed["projects"].records.items():
        if "reporting_frequency" in record:
            frequencies[key[0]] = record["reporting_frequency"] or "quarterly"
    _check_status_reports(parsed["status_reports"], project_phases, frequencies, out)
    _check_baselines(parsed["baselines"], known, project_phases, out)
    _check_plans(parsed["plans"], organization_codes, system_organizations, project_phases, out)
    _check_decisions(parsed["decisions"], system_organizations, project_phases, out)
    for raw in raw_tables:
        out.issues += raw.row_issues  # rows the reader refused for a limit while they were read
    files = sorted({raw.source for raw in raw_tables})
    return Parsed(tables=parsed, new_platforms=new_platforms, files=files), out.issues


_SYSTEM_ID_COLUMNS = ("system_id", "from_system_id", "to_system_id", "merged_into_system_id")


def _follow_renames(target: ParsedTable, aliases: dict[str, str], out: _Collector) -> None:
    """Read IDs systems had before a rename as their current IDs, in keys and references alike.

    Files made before a rename keep working: a row for S00559 updates the system now called S99559.
    """
    if not aliases or not target.records:
        return
    records, where = target.records, target.where
    target.records, target.where = {}, {}
    for key, record in records.items():
        for name in _SYSTEM_ID_COLUMNS:
            if record.get(name) in aliases:
                record[name] = aliases[record[name]]
        if "system_ids" in record and any(s in aliases for s in record["system_ids"]):
            record["system_ids"] = sorted({aliases.get(s, s) for s in record["system_ids"]})
        table = schema.TABLES[target.name]
        new_key = tuple(record[k] for k in table.key)
        if new_key in target.records:
            source, row = where[key]
            first_file, first_row = target.where[new_key]
            out.add(source, row, table.key[0], " / ".join(map(str, key)),
                    f"改称前のIDと現在のIDで同じレコードが2回あります（{first_file} の {first_row} 行目と同じ）",
                    f"The same record appears under its previous and its current ID (as row {first_row} of "
                    f"{first_file})")
            continue
        target.records[new_key] = record
        target.where[new_key] = where[key]


def _parse_generic(raw: RawTable, target: ParsedTable, out: _Collector,
                   organization_names: dict[tuple[str, str], str] | None = None) -> None:
    table = raw.table
    positions = [(i, table.column(name)) for i, name in enumerate(raw.columns) if name]
    given = {column.name for _, column in positions}
    if raw.layout != PUBLISHED_SPENDING and any(k in table.required and k not in given for k in table.key):
        return  # no row can be keyed; the reader has reported the missing column
    # A key column that may be left out (a decision's system or project) is blank when it is.
    blank_keys = [k for k in table.key if k not in given and k not in table.required]
    lookups = {c.name: values.choice_lookup(c) for _, c in positions if c.choices}
    parsers = {c.name: values.cell_parser(c, lookups.get(c.name)) for _, c in positions}
    headers = {c.name: _header_of(raw, c.name) for _, c in positions}
    if raw.layout == PUBLISHED_SPENDING:
        out.published_headers[raw.source] = headers
    unnamed = [i for i, name in enumerate(raw.columns) if name is None]
    target.present |= raw.present
    reported_unnamed = False
    # One tuple per column, looked up once: a million rows run this loop eighteen million times.
    plan = [(i, column.name, parsers[column.name], column.required, column.kind == schema.CODE_LIST)
            for i, column in positions]
    spreadsheet, unneutralize, CellError = raw.spreadsheet, values.unneutralize, values.CellError
    # An RS 支出先 sheet names its ministry (府省庁) and bureau (局・庁) in words, not by code.
    labels = [schema.normalize_label(str(h)) for h in raw.headers]
    named_ministry = labels.index("府省庁") if "府省庁" in labels else None
    named_bureau = labels.index("局・庁") if "局・庁" in labels else None
    for number, cells in raw.rows():
        record, ok = {}, True
        width = len(cells)
        for i, name, parse, required, code_list in plan:
            value = cells[i] if i < width else None
            if spreadsheet and type(value) is str and value[:1] == "'":  # only such a cell can be neutralised
                value = unneutralize(value)
            try:
                parsed = parse(value)
            except CellError as exc:
                out.add(raw.source, number, headers[name], value, exc.reason_ja, exc.reason_en)
                ok = False
                continue
            if required and parsed in ("", None, []):
                out.add(raw.source, number, headers[name], value, "必須の値がありません",
                        "A required value is missing")
                ok = False
            if code_list:
                parsed = sorted(set(parsed))  # sets: platforms used, systems covered
            record[name] = parsed
        if not reported_unnamed:
            for i in unnamed:
                if i < len(cells) and not values.is_blank(cells[i]) and not raw.headers[i].strip():
                    out.add(raw.source, number, f"{i + 1}列目", cells[i], "見出しのない列に値があります",
                            "A value in a column without a header")
                    reported_unnamed = True
                    ok = False
                    break
        if not ok:
            continue
        if raw.layout == PUBLISHED_SPENDING:
            if not record.get("organization_code") and named_ministry is not None:
                code = _organization_named(cells, named_ministry, named_bureau, organization_names or {})
                if code is None:
                    i = named_ministry
                    out.add(raw.source, number, raw.headers[i], cells[i] if i < len(cells) else "",
                            "この名前の府省庁（局・庁）が見つかりません。組織コードの列を加えることもできます",
                            "No ministry (or bureau) of this name; a column 組織コード may be added instead")
                    continue
                record["organization_code"] = code
            record["contract_number"] = published_contract_number(record)
        for k in blank_keys:
            record[k] = ""
        key = tuple(record[k] for k in table.key)
        if key in target.records:
            first_file, first_row = target.where[key]
            # A published sheet has no contract-number column: its number is derived, reported under that name.
            out.add(raw.source, number, headers.get(table.key[0], table.key[0]), " / ".join(map(str, key)),
                    f"キーが重複しています（{first_file} の {first_row} 行目と同じ）",
                    f"Duplicate key (same as row {first_row} of {first_file})")
            continue
        target.records[key] = record
        target.where[key] = (raw.source, number)


def _organization_named(cells, ministry: int, bureau: int | None, names: dict[tuple[str, str], str]) -> str | None:
    """The code of the organization a row names: the bureau under its ministry when it is one we know, else
    the ministry itself. `names` maps (parent code, Japanese name) → code ("" for a ministry's parent)."""
    def text(i):
        value = cells[i] if i is not None and i < len(cells) else ""
        return unicodedata.normalize("NFKC", str(value or "")).strip()

    code = names.get(("", text(ministry)))
    if code is None:
        return None
    return names.get((code, text(bureau)), code) if text(bureau) else code


def published_contract_number(record: dict) -> str:
    """The contract number of a row of a published spending sheet, which has none: derived from what the row
    says, so importing the same sheet again finds the same contracts (a corrected row is a new contract)."""
    parts = [record.get(name) for name in ("fiscal_year", "organization_code", "system_ids", "project_id",
                                           "vendor_corporate_number", "vendor_name", "title", "method",
                                           "amount_yen")]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:12].upper()
    return f"PUB-{record.get('fiscal_year') or 0}-{digest}"


def _check_organizations(target: ParsedTable, known: Known, out: _Collector) -> None:
    parents = dict(known.organization_parents)
    for key, record in target.records.items():
        if "parent_code" in record:
            parents[key[0]] = record["parent_code"]
        else:
            parents.setdefault(key[0], "")
    bad = set()
    for key, record in target.records.items():
        code = key[0]
        source, row = target.where[key]
        parent = record.get("parent_code", "")
        if parent and parent not in parents:
            out.add(source, row, "parent_code", parent, "上位組織コードが見つかりません", "Unknown parent organization")
            bad.add(key)
        elif parent:
            seen, current = {code}, parent
            while current:
                if current in seen:
                    out.add(source, row, "parent_code", parent, "上位組織が循環しています",
                            "The parent chain forms a cycle")
                    bad.add(key)
                    break
                seen.add(current)
                current = parents.get(current, "")
        number = record.get("corporate_number", "")
        if number and not _corporate_number_ok(number):
            reason = ("法人番号のチェックディジットが正しくありません", "Corporate number check digit is wrong") if (
                len(number) == 13 and number.isdigit()) else ("法人番号は13桁の数字です", "A corporate number has 13 digits")
            out.add(source, row, "corporate_number", number, *reason)
            bad.add(key)
        lg_code = record.get("local_government_code", "")
        if lg_code and not local_government_code_is_valid(lg_code):
            reason = ("地方公共団体コードのチェックディジットが正しくありません", "Local government code check digit is wrong") if (
                len(lg_code) == 6 and lg_code.isdigit()) else ("地方公共団体コードは6桁の数字です",
                                                                "A local government code has 6 digits")
            out.add(source, row, "local_government_code", lg_code, *reason)
            bad.add(key)
    for key in bad:
        target.records.pop(key, None)


def _check_systems(target: ParsedTable, known: Known, organization_codes: set[str], out: _Collector) -> list[str]:
    new_platforms = set()
    for key, record in target.records.items():
        source, row = target.where[key]
        if record.get("hosting") == "":
            record["hosting"] = "unknown"  # the model's default: a blank cell means "not known"
        code = record.get("organization_code", "")
        if code and code not in organization_codes:
            out.add(source, row, "organization_code", code, "組織コードが見つかりません", "Unknown organization")
        started, retired = record.get("started_on"), record.get("retired_on")
        if started and retired and retired < started:
            out.add(source, row, "retired_on", retired, "廃止日は運用開始日より後にしてください",
                    "The retirement date must not be before the start date")
        new_platforms |= {p for p in record.get("platforms", []) if p not in known.platform_codes}
    return sorted(new_platforms)


def _merge_classifications(systems: ParsedTable, classified: dict[str, tuple]) -> None:
    """The IT Dashboard classifications read from a budget sheet, as (partial) rows of `systems`.

    A system the same import has a `systems` row for keeps what that row says; otherwise the row updates
    only the classifications (the other fields are left as stored).
    """
    for system_id, (_year, values_by_field, where) in classified.items():
        if not values_by_field:
            continue
        key = (system_id,)
        record = systems.records.get(key)
        if record is None:
            systems.records[key] = {"system_id": system_id, **values_by_field}
            systems.where[key] = where
        else:
            for name, value in values_by_field.items():
                record.setdefault(name, value)
        systems.present |= set(values_by_field)


def _parse_dashboard_basic(raw: RawTable, system_organizations: dict[str, str], aliases: dict[str, str],
                           classified: dict[str, tuple], out: _Collector) -> None:
    """The IT Dashboard's basic information of systems: each row's classifications, for a known system."""
    col = {name: i for i, name in enumerate(raw.columns) if name}
    headers = {name: _header_of(raw, name) for name in col}

    def cell(cells, i):
        value = cells[i] if i is not None and i < len(cells) else None
        return values.unneutralize(value) if isinstance(value, str) and raw.spreadsheet else value

    for number, cells in raw.rows():
        sid = values._text(cell(cells, col.get("system_id")) or "").strip()
        sid = aliases.get(sid, sid) if sid not in system_organizations else sid
        if not sid:
            out.add(raw.source, number, headers["system_id"], sid, "必須の値がありません", "A required value is missing")
            continue
        if sid not in system_organizations:
            out.add(raw.source, number, headers["system_id"], sid, "情報システムIDが見つかりません", "Unknown system")
            continue
        fy = 0
        year = cell(cells, col.get("year"))
        if not values.is_blank(year):
            try:
                fy = values.parse_fiscal_year(year)
            except values.CellError as exc:
                out.add(raw.source, number, headers["year"], year, exc.reason_ja, exc.reason_en)
                continue
        classes = _dashboard_classifications(raw, col, headers, functools.partial(cell, cells), raw.source, number, out)
        if classes is not None and (sid not in classified or fy >= classified[sid][0]):
            classified[sid] = (fy, classes, (raw.source, number))


def _dashboard_classifications(raw: RawTable, col: dict[str, int], headers: dict[str, str], cell, source, number,
                               out: _Collector) -> dict[str, str] | None:
    """The classification codes of one IT Dashboard row (code column, else name column); None if one is bad."""
    found, ok = {}, True
    for name, (code_column, name_column) in schema.IT_DASHBOARD_CLASSIFICATIONS.items():
        column = schema.SYSTEMS.column(name)
        for header in (code_column, name_column):
            value = cell(col.get(header))
            if values.is_blank(value):
                continue
            try:
                found[name] = values.parse_choice(value, column, values.choice_lookup(column))
            except values.CellError as exc:
                out.add(source, number, headers.get(header, header), value,
                        f"{column.ja}: {exc.reason_ja}", f"{column.ja} ({name}): {exc.reason_en}")
                ok = False
            break
    return found if ok else None


def _parse_budgets(raw: RawTable, target: ParsedTable, system_organizations: dict[str, str], out: _Collector,
                   progress=None, aliases: dict[str, str] | None = None,
                   classified: dict[str, tuple] | None = None) -> None:
    """Budget rows by the million: a tight loop with the common cases first, parsed into 5-tuple keys.

    An IT Dashboard sheet also carries each system's classifications; they are collected in `classified`
    (system ID → (fiscal year, {field: code}, (file, row))), the latest year's row winning.
    """
    table = raw.table
    col = {name: i for i, name in enumerate(raw.columns) if name}
    headers = {name: _header_of(raw, name) for name in col}
    # Share one string object per system ID and one int per year: a million rows repeat them.
    canonical_ids = {sid: sid for sid in system_organizations}
    # An ID a system had before a rename is read as its current ID.
    canonical_ids.update({old: new for old, new in (aliases or {}).items() if old not in canonical_ids})
    years: dict[object, int] = {}
    lookups = {name: values.choice_lookup(table.column(name)) for name in ("category", "stage", "appropriation")}
    records, where = target.records, target.where
    target.present |= {"amount_yen"}
    dashboard = raw.layout == IT_DASHBOARD
    i_sid, i_fy = col.get("system_id"), col.get("fiscal_year", col.get("year"))
    if i_sid is None or i_fy is None:
        return
    if not dashboard:
        i_cat, i_stage, i_amount = col.get("category"), col.get("stage"), col.get("amount_yen")
        if i_cat is None or i_stage is None or i_amount is None:
            return
        i_appr = col.get("appropriation")
    source = raw.source
    unneutralize, parse_money, CellError = values.unneutralize, values.parse_money, values.CellError

    def cell(cells, i):
        value = cells[i] if i is not None and i < len(cells) else None
        return unneutralize(value) if isinstance(value, str) and raw.spreadsheet else value

    # The common case — every cell plain and valid — takes a short path; anything else (blank, neutralised,
    # typed XLSX cells, errors, duplicates) falls through to the full checks below.
    fast = not dashboard
    if fast:
        cat_lookup, stage_lookup, appr_lookup = lookups["category"], lookups["stage"], lookups["appropriation"]
        width = 1 + max(i for i in (i_sid, i_fy, i_cat, i_stage, i_amount, i_appr) if i is not None)
    for number, cells in raw.rows():
        if progress and number % 100_000 == 0:
            progress(f"{raw.source}: {number:,} rows read")
        if fast and len(cells) >= width:
            system_id = canonical_ids.get(cells[i_sid])
            fy = years.get(cells[i_fy])
            category = cat_lookup.get(cells[i_cat])
            stage = stage_lookup.get(cells[i_stage])
            appropriation = "ministry" if i_appr is None or not cells[i_appr] else appr_lookup.get(cells[i_appr])
            amount = cells[i_amount]
            if (system_id is not None and fy is not None and category and stage and appropriation
                    and type(amount) is str and amount.isdigit() and amount.isascii() and len(amount) < 19):
                key = (system_id, fy, category, stage, appropriation)
                if key not in records:
                    records[key] = int(amount)
                    where[key] = (source, number)
                    continue
        ok = True
        sid = cell(cells, i_sid)
        sid = sid.strip() if isinstance(sid, str) else values._text(sid) if sid is not None else ""
        if not sid:
            out.add(source, number, headers["system_id"], sid, "必須の値がありません", "A required value is missing")
            ok = False
        elif sid not in canonical_ids:
            out.add(source, number, headers["system_id"], sid, "情報システムIDが見つかりません", "Unknown system")
            ok = False
        else:
            sid = canonical_ids[sid]
        fy_raw = cell(cells, i_fy)
        fy = years.get(fy_raw) if isinstance(fy_raw, str | int) else None
        if fy is None:
            try:
                if values.is_blank(fy_raw):
                    raise CellError("必須の値がありません", "A required value is missing")
                fy = values.parse_fiscal_year(fy_raw)
                if isinstance(fy_raw, str | int):
                    years[fy_raw] = fy
            except CellError as exc:
                out.add(source, number, headers["fiscal_year" if not dashboard else "year"], fy_raw,
                        exc.reason_ja, exc.reason_en)
                ok = False
        if dashboard:
            classes = _dashboard_classifications(raw, col, headers, functools.partial(cell, cells), source, number, out)
            if classes is None:
                ok = False
            lines = []
            for name, category in (("operating_budget", "operation"), ("development_budget", "development")):
                amount_raw = cell(cells, col.get(name))
                try:
                    if values.is_blank(amount_raw):
                        raise CellError("必須の値がありません", "A required value is missing")
                    lines.append((category, parse_money(amount_raw)))
                except CellError as exc:
                    out.add(source, number, headers.get(name, name), amount_raw, exc.reason_ja, exc.reason_en)
                    ok = False
            total_raw = cell(cells, col.get("sum_budget"))
            if ok and not values.is_blank(total_raw):
                try:
                    total = parse_money(total_raw)
                    if total != lines[0][1] + lines[1][1]:
                        out.add(source, number, headers["sum_budget"], total_raw,
                                "合計が運用等経費と整備等経費の和と一致しません",
                                "The total is not operating plus development budget")
                        ok = False
                except CellError as exc:
                    out.add(source, number, headers["sum_budget"], total_raw, exc.reason_ja, exc.reason_en)
                    ok = False
            if not ok:
                continue
            if classified is not None and (sid not in classified or fy >= classified[sid][0]):
                classified[sid] = (fy, classes, (source, number))
            for category, amount in lines:
                key = (sid, fy, category, "initial", "ministry")
                _add_budget(records, where, key, amount, source, number, headers["system_id"], out)
            continue
        values_by_name = {}
        for name, i in (("category", i_cat), ("stage", i_stage), ("appropriation", i_appr)):
            raw_value = cell(cells, i)
            lookup = lookups[name]
            choice = lookup.get(raw_value) if isinstance(raw_value, str) else None
            if choice is None:
                if values.is_blank(raw_value):
                    if name == "appropriation":
                        choice = "ministry"
                    else:
                        out.add(source, number, headers[name], raw_value, "必須の値がありません",
                                "A required value is missing")
                        ok = False
                        continue
                else:
                    try:
                        choice = values.parse_choice(raw_value, table.column(name), lookup)
                    except CellError as exc:
                        out.add(source, number, headers[name], raw_value, exc.reason_ja, exc.reason_en)
                        ok = False
                        continue
            values_by_name[name] = choice
        amount_raw = cell(cells, i_amount)
        if isinstance(amount_raw, str) and amount_raw.isascii() and amount_raw.isdigit() and len(amount_raw) < 19:
            amount = int(amount_raw)
        else:
            try:
                if values.is_blank(amount_raw):
                    raise CellError("必須の値がありません", "A required value is missing")
                amount = parse_money(amount_raw)
            except CellError as exc:
                out.add(source, number, headers["amount_yen"], amount_raw, exc.reason_ja, exc.reason_en)
                ok = False
        if not ok:
            continue
        key = (sid, fy, values_by_name["category"], values_by_name["stage"], values_by_name["appropriation"])
        _add_budget(records, where, key, amount, source, number, headers["system_id"], out)


def _add_budget(records, where, key, amount, source, number, header, out) -> None:
    if key in records:
        first_file, first_row = where[key]
        out.add(source, number, header, " / ".join(map(str, key)),
                f"キーが重複しています（{first_file} の {first_row} 行目と同じ）",
                f"Duplicate key (same as row {first_row} of {first_file})")
        return
    records[key] = amount
    where[key] = (source, number)


def _check_projects(target: ParsedTable, system_organizations: dict[str, str], organization_codes: set[str],
                    out: _Collector) -> None:
    for key, record in target.records.items():
        source, row = target.where[key]
        for sid in record.get("system_ids", []):
            if sid not in system_organizations:
                out.add(source, row, "system_ids", sid, "情報システムIDが見つかりません", "Unknown system")
        code = record.get("organization_code", "")
        if code and code not in organization_codes:
            out.add(source, row, "organization_code", code, "組織コードが見つかりません", "Unknown organization")
        if "organization_code" not in record and record.get("system_ids"):
            # The published format has no project organization: take that of the first system.
            record["organization_code"] = system_organizations.get(record["system_ids"][0], "")
        starts, ends = record.get("starts_on"), record.get("ends_on")
        if starts and ends and ends < starts:
            out.add(source, row, "ends_on", ends, "終了日は開始日より後にしてください",
                    "The end date must not be before the start date")


def _check_interfaces(target: ParsedTable, system_organizations: dict[str, str], out: _Collector) -> None:
    for key, record in target.records.items():
        source, row = target.where[key]
        for name in ("from_system_id", "to_system_id"):
            if record[name] not in system_organizations:
                out.add(source, row, name, record[name], "情報システムIDが見つかりません", "Unknown system")
        if record["from_system_id"] == record["to_system_id"]:
            out.add(source, row, "to_system_id", record["to_system_id"], "自システムへの連携は登録できません",
                    "A system cannot link to itself")


# --- oversight tables ------------------------------------------------------------------------------

def _unknown_project(out, source, row, project_id) -> None:
    out.add(source, row, "project_id", project_id, "プロジェクトIDが見つかりません", "Unknown project")


def _check_users(record: dict, names: tuple[str, ...], known: Known, source, row, out) -> None:
    for name in names:
        if record.get(name) and record[name] not in known.usernames:
            out.add(source, row, name, record[name], "ユーザー名が見つかりません", "Unknown user name")


def _check_reviews(target: ParsedTable, known: Known, project_phases: dict[str, str],
                   out: _Collector) -> dict[tuple, str]:
    """Check reviews; return the phase of every review stored or imported (findings default to it)."""
    phases = dict(known.review_phases)
    for key, record in target.records.items():
        source, row = target.where[key]
        if key[0] not in project_phases:
            _unknown_project(out, source, row, key[0])
            continue
        if record.get("phase") == "":
            # Blank: the phase the review was opened in, or for a new review the project's current phase.
            record["phase"] = known.review_phases.get(key) or project_phases[key[0]]
        if record.get("follow_up") == "":
            record["follow_up"] = "none"
        _check_users(record, ("reviewer", "support_reviewer"), known, source, row, out)
        if record.get("follow_up") == "support" and not record.get("support_reviewer"):
            out.add(source, row, "support_reviewer", "", "支援型のフォローアップには支援レビュアーが必要です",
                    "A support follow-up needs a supporting reviewer")
        phases[key] = record.get("phase") or phases.get(key) or project_phases[key[0]]
        if "checklist" in record:
            record["checklist"] = _checklist_answers(record["checklist"], phases[key], source, row, out)
    return phases


_CHECKLIST = schema.REVIEWS.column("checklist")
_CHECKLIST_LOOKUP = values.choice_lookup(_CHECKLIST)


def _checklist_answers(items: list[str], phase: str, source, row, out: _Collector) -> list[str]:
    """`RQ-1=yes` items → the canonical list: answered items only, in the order of the phase's checklist."""
    codes = [code for code, _, _ in checklist_for_phase(phase)]
    answers: dict[str, str] = {}
    for item in items:
        code, sep, answer = unicodedata.normalize("NFKC", item).partition("=")
        code = code.strip().upper()
        if not sep or not code:
            out.add(source, row, "checklist", item, "「項目コード=回答」の形で書いてください（例: RQ-1=yes）",
                    "Write each item as code=answer (e.g. RQ-1=yes)")
        elif code not in codes:
            out.add(source, row, "checklist", item,
                    f"この工程のチェックリストにない項目です（使える項目: {', '.join(codes)}）",
                    f"Not an item of this phase's checklist (items: {', '.join(codes)})")
        elif code in answers:
            out.add(source, row, "checklist", item, "同じ項目が2回書かれています", "The same item is given twice")
        else:
            try:
                answers[code] = values.parse_choice(answer, _CHECKLIST, _CHECKLIST_LOOKUP)
            except values.CellError as exc:
                out.add(source, row, "checklist", item, exc.reason_ja, exc.reason_en)
    return [f"{code}={answers[code]}" for code in codes if answers.get(code, "unanswered") != "unanswered"]


def _check_findings(target: ParsedTable, known: Known, review_phases: dict[tuple, str], out: _Collector) -> None:
    new_numbers: dict[tuple, list] = {}
    for key, record in target.records.items():
        source, row = target.where[key]
        review = key[:3]
        if review not in review_phases:
            out.add(source, row, "project_id", " / ".join(map(str, review)),
                    "レビューが見つかりません（プロジェクトID・年度・レビュー種別）",
                    "Unknown review (project_id, fiscal_year, stage)")
            continue
        if record["number"] < 1:
            out.add(source, row, "number", record["number"], "指摘番号は1以上です", "A finding number starts at 1")
            continue
        if record.get("phase") == "":
            record["phase"] = review_phases[review]
        _check_users(record, ("owner",), known, source, row, out)
        status, closed_on = record["status"], record.get("closed_on")
        if status in ("closed", "withdrawn") and closed_on is None and "closed_on" in target.present:
            out.add(source, row, "closed_on", "", "完了・取下げの指摘には完了日が必要です",
                    "A closed or withdrawn finding needs the date it was closed")
        elif status in ("open", "in_progress") and closed_on is not None:
            out.add(source, row, "closed_on", closed_on, "未完了の指摘には完了日を入れないでください",
                    "An open finding has no closing date")
        if record["number"] > known.finding_counts.get(review, 0):
            new_numbers.setdefault(review, []).append((record["number"], key))
    # Numbers are positions in the review: new findings must continue the numbering without gaps, or the
    # same file imported again would not find them under the same numbers.
    for review, numbers in new_numbers.items():
        start = known.finding_counts.get(review, 0) + 1
        for expected, (number, key) in enumerate(sorted(numbers), start=start):
            if number != expected:
                source, row = target.where[key]
                out.add(source, row, "number", number,
                        f"指摘番号は連番にしてください（次は {expected}）",
                        f"Finding numbers must run on without gaps (next is {expected})")
                break


def _check_status_reports(target: ParsedTable, project_phases: dict[str, str], frequencies: dict[str, str],
                          out: _Collector) -> None:
    for key, record in target.records.items():
        source, row = target.where[key]
        if key[0] not in project_phases:
            _unknown_project(out, source, row, key[0])
        period_end = key[1]
        frequency = frequencies.get(key[0], "quarterly")
        grid = "monthly" if frequency == "monthly" else "quarterly"
        if not risk.is_period_end(period_end, grid):
            if grid == "monthly":
                out.add(source, row, "period_end", period_end, "月次報告の報告期間末は月末です",
                        "A monthly report's period ends on a month end")
            else:
                out.add(source, row, "period_end", period_end, "報告期間末は四半期末（3/31・6/30・9/30・12/31）です",
                        "The period must end on a quarter end (Mar 31, Jun 30, Sep 30, Dec 31)")
        filed_on = record.get("filed_on")
        if filed_on and filed_on < period_end:
            out.add(source, row, "filed_on", filed_on, "提出日は報告期間末以降にしてください",
                    "A report is filed on or after the end of its period")
        scale = record.get("scale") or "rag3"
        overall = record.get("overall")
        if "overall" in record and overall != schema.WITHHELD and overall not in risk.SCALE_VALUES[scale]:
            allowed = ", ".join(risk.SCALE_VALUES[scale])
            out.add(source, row, "overall", overall, f"総合評価は尺度 {scale} の値（{allowed}）または非公表です",
                    f"The overall rating must be one of {allowed} on scale {scale}, or withheld")


def _check_baselines(target: ParsedTable, known: Known, project_phases: dict[str, str], out: _Collector) -> None:
    firsts: dict[tuple, object] = {}
    for project_id, kind, set_on in [*known.baselines, *target.records]:
        if (project_id, kind) not in firsts or set_on < firsts[(project_id, kind)]:
            firsts[(project_id, kind)] = set_on
    for key, record in target.records.items():
        source, row = target.where[key]
        project_id, kind, set_on = key
        if project_id not in project_phases:
            _unknown_project(out, source, row, project_id)
        cost, end_on = record.get("cost_yen"), record.get("end_on")
        if kind == "cost" and cost is None:
            out.add(source, row, "cost_yen", "", "コストのベースラインには金額（または非公表）が必要です",
                    "A cost baseline needs an amount (or withheld)")
        if kind == "cost" and end_on is not None:
            out.add(source, row, "end_on", end_on, "コストのベースラインに完了予定日は入れません",
                    "A cost baseline has no completion date")
        if kind == "schedule" and end_on is None:
            out.add(source, row, "end_on", "", "スケジュールのベースラインには完了予定日が必要です",
                    "A schedule baseline needs a completion date")
        if kind == "schedule" and cost is not None:
            out.add(source, row, "cost_yen", cost, "スケジュールのベースラインに金額は入れません",
                    "A schedule baseline has no amount")
        if set_on != firsts[(project_id, kind)] and not (record.get("reason") or "").strip():
            stored = known.baselines.get(key, {}).get("reason", "")
            if not stored or "reason" in record:
                out.add(source, row, "reason", "", "ベースラインの再設定には理由が必要です", "Rebaselining needs a reason")
        stored = known.baselines.get(key)
        if stored is not None:
            for name in ("cost_yen", "end_on"):
                if name in record and record[name] != stored[name]:
                    out.add(source, row, name, record[name],
                            "設定済みのベースラインは変更できません（再設定は新しい行と理由で）",
                            "A baseline once set is not edited; rebaseline with a new row and its reason")


PLAN_COLUMNS = ("organization_code", "plan_title", "start_year", "end_year", "plan_description")


def _check_plans(target: ParsedTable, organization_codes: set[str], system_organizations: dict[str, str],
                 project_phases: dict[str, str], out: _Collector) -> None:
    first: dict[str, tuple] = {}
    for key, record in target.records.items():
        source, row = target.where[key]
        if key[0] in first:
            first_key = first[key[0]]
            first_record = target.records[first_key]
            for name in PLAN_COLUMNS:
                if name in record and name in first_record and record[name] != first_record[name]:
                    first_file, first_row = target.where[first_key]
                    out.add(source, row, name, record[name],
                            f"同じ計画の行で値が異なります（{first_file} の {first_row} 行目と違う）",
                            f"Rows of the same plan disagree (row {first_row} of {first_file} differs)")
        else:
            first[key[0]] = key
        code = record.get("organization_code", "")
        if code and code not in organization_codes:
            out.add(source, row, "organization_code", code, "組織コードが見つかりません", "Unknown organization")
        if record["end_year"] < record["start_year"]:
            out.add(source, row, "end_year", record["end_year"], "最終年度は初年度以降にしてください",
                    "The last fiscal year must not be before the first")
        if record["target_year"] <= record["base_year"]:
            out.add(source, row, "target_year", record["target_year"], "目標年度は基準年度より後にしてください",
                    "The target year must be after the base year")
        for sid in record.get("system_ids", []):
            if sid not in system_organizations:
                out.add(source, row, "system_ids", sid, "情報システムIDが見つかりません", "Unknown system")
        for pid in record.get("project_ids", []):
            if pid not in project_phases:
                out.add(source, row, "project_ids", pid, "プロジェクトIDが見つかりません", "Unknown project")


def _check_decisions(target: ParsedTable, system_organizations: dict[str, str], project_phases: dict[str, str],
                     out: _Collector) -> None:
    for key, record in target.records.items():
        source, row = target.where[key]
        system_id, project_id = record["system_id"], record["project_id"]
        if bool(system_id) == bool(project_id):
            out.add(source, row, "system_id", f"{system_id} / {project_id}",
                    "情報システムIDとプロジェクトIDのどちらか一方だけを入れてください",
                    "Give exactly one of system_id and project_id")
        if system_id and system_id not in system_organizations:
            out.add(source, row, "system_id", system_id, "情報システムIDが見つかりません", "Unknown system")
        if project_id and project_id not in project_phases:
            _unknown_project(out, source, row, project_id)
        merged = record.get("merged_into_system_id", "")
        if merged and record["kind"] != "merge":
            out.add(source, row, "merged_into_system_id", merged, "統合先は判断が merge のときだけ入れられます",
                    "A merge target is only for a merge decision")
        elif merged and merged not in system_organizations:
            out.add(source, row, "merged_into_system_id", merged, "情報システムIDが見つかりません", "Unknown system")
        elif merged and merged == system_id:
            out.add(source, row, "merged_into_system_id", merged, "自システムには統合できません",
                    "A system cannot be merged into itself")


def _check_contracts(target: ParsedTable, system_organizations: dict[str, str], organization_codes: set[str],
                     project_ids: set[str], out: _Collector) -> None:
    """References, 法人番号, dates and the derived award rate and 一者応札 of every contract row.

    The organization, when blank, becomes the first system's, and the award rate the computed one when
    both amounts are known, so a re-import of the same file finds the stored record unchanged.
    """
    withheld = schema.WITHHELD
    for key, record in target.records.items():
        source, row = target.where[key]
        systems = record.get("system_ids", [])
        for sid in systems:
            if sid not in system_organizations:
                out.add(source, row, "system_ids", sid, "情報システムIDが見つかりません", "Unknown system")
        if record.get("project_id") and record["project_id"] not in project_ids:
            _unknown_project(out, source, row, record["project_id"])
        if "organization_code" in record or "system_ids" in record:
            code = record.get("organization_code", "")
            if code and code not in organization_codes:
                out.add(source, row, "organization_code", code, "組織コードが見つかりません", "Unknown organization")
            elif not code:
                if systems and systems[0] in system_organizations:
                    record["organization_code"] = system_organizations[systems[0]]
                elif not systems:
                    out.add(source, row, "organization_code", "",
                            "組織コードか対象情報システムIDを入れてください",
                            "Give the organization_code or the system_ids")
        number = record.get("vendor_corporate_number", "")
        if number and not _corporate_number_ok(number):
            reason = ("法人番号のチェックディジットが正しくありません", "Corporate number check digit is wrong") if (
                len(number) == 13 and number.isdigit()) else ("法人番号は13桁の数字です", "A corporate number has 13 digits")
            out.add(source, row, "vendor_corporate_number", number, *reason)
        if record.get("bidders_count") == 0:
            out.add(source, row, "bidders_count", 0, "入札者数は1以上です（非公表なら「非公表」）",
                    "There is at least one bidder (or write 非公表 for withheld)")
        if record.get("starts_on") and record.get("ends_on") and record["ends_on"] < record["starts_on"]:
            out.add(source, row, "ends_on", record["ends_on"], "終了日は開始日より後にしてください",
                    "The end date must not be before the start date")
        estimate = record.get("estimated_price_yen")
        computed = award_rate_of(record.get("amount_yen"), None if estimate == withheld else estimate)
        given = record.get("award_rate")
        if computed is not None:
            if given not in (None, withheld) and abs(given - computed) > RATE_TOLERANCE:
                out.add(source, row, "award_rate", given,
                        f"落札率が契約金額÷予定価格（{computed}%）と合いません",
                        f"The award rate does not match amount ÷ estimated price ({computed}%)")
            if computed >= MAX_AWARD_RATE:
                # The column holds six digits (9999.99 %): an estimate this far below the amount is a typing error.
                out.add(source, row, "estimated_price_yen", estimate,
                        f"契約金額が予定価格の100倍以上です（落札率 {computed}%）",
                        f"The contract amount is 100 times the estimated price or more (award rate {computed}%)")
            record["award_rate"] = computed
        if "method" in record and "bidders_count" in record:
            bidders = record["bidders_count"]
            derived = is_single_bid(record["method"], None if bidders == withheld else bidders)
            if "single_bid" in target.present and record.get("single_bid") != derived:
                out.add(source, row, "single_bid", record.get("single_bid"),
                        "一者応札は契約方式と入札者数から決まります（競争性のある方式で入札者1者）",
                        "Single bidder follows from the method and the bidders (a competitive method, one bidder)")
            record["single_bid"] = derived
        elif "single_bid" in record:
            # Without the method and bidders in the file, the stored contract decides; the column is ignored.
            del record["single_bid"]


def _check_security_findings(target: ParsedTable, system_organizations: dict[str, str], out: _Collector) -> None:
    """References and the date and status rules of every security finding row (as the model's own rules)."""
    for key, record in target.records.items():
        source, row = target.where[key]
        if "system_id" in record and record["system_id"] not in system_organizations:
            out.add(source, row, "system_id", record["system_id"], "情報システムIDが見つかりません", "Unknown system")
        found, due, fixed = record.get("found_on"), record.get("due_on"), record.get("fixed_on")
        if "due_on" in record and due is None and found and record.get("severity"):
            # A blank due date is the severity's SLA, computed here so that importing it again changes nothing.
            record["due_on"] = due = sla.due_date(severity=record["severity"], found_on=found)
        if found and due and due < found:
            out.add(source, row, "due_on", due, "対応期限は発見日より後にしてください",
                    "The due date must not be before the date found")
        if found and fixed and fixed < found:
            out.add(source, row, "fixed_on", fixed, "修正日は発見日より後にしてください",
                    "The fix date must not be before the date found")
        if record.get("status") == "fixed" and not fixed:
            out.add(source, row, "fixed_on", fixed, "修正済みには修正日が必要です", "A fixed finding needs its fix date")
        if record.get("status") == "accepted" and not (record.get("acceptance_reason") or "").strip():
            out.add(source, row, "acceptance_reason", "", "リスク受容には理由が必要です",
                    "An accepted risk needs its reason")
