"""Import of indicators from the RS system's 3-1 sheet (効果発現経路_目標・実績) or the interchange table
`service_kpis`: CSV in UTF-8 (with or without BOM) or Shift_JIS, all or nothing.

The RS 3-1 layout is long: one indicator (事業 × 番号 × 種別) spans up to four rows told apart by
「目標年度／目標値／実績値／達成率」 (1.目標年度, 2.目標値, 3.実績値, 4.達成率), each with one column per fiscal
year (2022, 2023, …). Its 予算事業ID names the project (or a `project_id` / `service_code` column does);
the published 達成率 is read but not stored, since Mieruka computes it from the target and the actual for
both directions. Withheld or blank cells (非公表, －) stay withheld, never zero.

Every bad row is reported with its row number, field and reason in Japanese and English; a file with any
bad row changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.inventory.models import Project

from . import services
from .choices import KpiDirection, KpiLevel, KpiTerm, StandardMeasure
from .models import Kpi, Service

MAX_ROWS = 20_000
WITHHELD_MARKERS = {"非公表", "非公開", "withheld", "－", "-", "―", "ー", "‐", "−", "—", "*"}
_YEAR = re.compile(r"^(20\d{2}|19\d{2})(年度)?$")

# RS 3-1 headers (and shorter spellings) → field.
RS_HEADERS = {
    "予算事業id": "rs_project_id", "事業番号": "rs_project_id",
    "アクティビティ・アウトプット・アウトカムの番号": "number", "番号": "number",
    "種別（アクティビティ・アウトプット・アウトカム）": "kind", "種別": "kind",
    "アウトカムの期間": "term",
    "アクティビティ／活動目標／成果目標": "goal", "成果目標": "goal", "活動目標": "goal",
    "活動指標／成果指標": "name_ja", "成果指標": "name_ja", "活動指標": "name_ja",
    "単位": "unit",
    "改善の上向き／下向き": "direction", "上向き／下向き": "direction",
    "目標年度／目標値／実績値／達成率": "row_kind",
    "project_id": "project_id", "プロジェクトid": "project_id",
    "service_code": "service_code", "サービスコード": "service_code",
    "kpi_code": "code", "指標コード": "code",
}
# Descriptive RS columns, accepted and not imported.
RS_DESCRIPTIVE = {"事業名", "府省庁", "局・庁", "成果目標の種類", "会計区分", "事業年度",
                  "成果実績及び目標値の根拠として用いた統計・データ名（出典）", "定性的なアウトカム目標を設定している理由",
                  "定性的なアウトカムに関する成果実績", "シート種別", "政策所管府省庁", "作成責任者"}
# The interchange table `service_kpis` (docs/interchange.md): one row per indicator and fiscal year.
SERVICE_KPI_COLUMNS = ("kpi_code", "service_code", "project_id", "level", "term", "goal", "name_ja", "name_en",
                       "unit", "direction", "standard", "target_year", "target_value", "derived_from",
                       "fiscal_year", "target", "actual")

# Matched after NFKC folding (full-width brackets and slashes become ASCII), as headers are.
_RS_INDEX = {unicodedata.normalize("NFKC", k).lower(): v for k, v in RS_HEADERS.items()}
_RS_DESCRIPTIVE = {unicodedata.normalize("NFKC", k) for k in RS_DESCRIPTIVE}

KINDS = {"アクティビティ": (KpiLevel.ACTIVITY, ""), "アウトプット": (KpiLevel.OUTPUT, ""),
         "アウトカム": (KpiLevel.OUTCOME, ""), "短期アウトカム": (KpiLevel.OUTCOME, KpiTerm.SHORT),
         "中期アウトカム": (KpiLevel.OUTCOME, KpiTerm.MID), "長期アウトカム": (KpiLevel.OUTCOME, KpiTerm.LONG)}
TERMS = {"短期": KpiTerm.SHORT, "中期": KpiTerm.MID, "長期": KpiTerm.LONG, "short": KpiTerm.SHORT,
         "mid": KpiTerm.MID, "long": KpiTerm.LONG}
DIRECTIONS = {"上向き": KpiDirection.HIGHER, "下向き": KpiDirection.LOWER, "higher": KpiDirection.HIGHER,
              "lower": KpiDirection.LOWER}
ROW_KINDS = {"目標年度": "target_year", "目標値": "target", "実績値": "actual", "達成率": "rate"}


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message_ja: str
    message_en: str

    def __str__(self):
        return f"{self.row}行目 {self.field}: {self.message_ja} / row {self.row} {self.field}: {self.message_en}"


@dataclass
class Indicator:
    """One indicator as read, with the rows it came from (for error messages)."""

    code: str
    row: int
    service: Service | None = None
    project: Project | None = None
    data: dict = field(default_factory=dict)
    targets: dict[int, Decimal] = field(default_factory=dict)
    actuals: dict[int, Decimal | None] = field(default_factory=dict)  # None: withheld
    derived_from: list[str] | None = None


@dataclass
class ImportResult:
    errors: list[RowError]
    created: int = 0
    updated: int = 0
    values: int = 0
    dry_run: bool = False


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Shift_JIS (cp932)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp932")
        except UnicodeDecodeError as exc:
            raise ApplicationError("文字コードを判別できません（UTF-8またはShift_JISで保存してください）",
                                   "Unknown encoding (save the file as UTF-8 or Shift_JIS)") from exc


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def _number(text: str) -> Decimal:
    value = _norm(text).replace(",", "").replace("%", "").replace("¥", "")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise ValueError
    # Three decimal places, as stored: an unchanged value then compares equal and is not rewritten.
    return number.quantize(Decimal("0.001"))


def _fiscal_year(text: str) -> int:
    value = _norm(text)
    match = _YEAR.match(value)
    if match:
        return int(match.group(1))
    era = re.match(r"^(令和|R)(\d+|元)年?度?$", value)
    if era:
        return 2018 + (1 if era.group(2) == "元" else int(era.group(2)))
    raise ValueError


class _Reader:
    def __init__(self, *, check_references: bool = True):
        self.check_references = check_references
        self.errors: list[RowError] = []
        self.projects = {p.project_id: p for p in Project.objects.select_related("organization")}
        self.services = {s.code: s for s in Service.objects.select_related("organization")}
        self.indicators: dict[str, Indicator] = {}

    def error(self, row, field_name, ja, en):
        self.errors.append(RowError(row, field_name, ja, en))

    def target_of(self, row: int, values: dict) -> tuple[Service | None, Project | None]:
        code, pid = values.get("service_code", ""), values.get("project_id", "") or values.get("rs_project_id", "")
        if not self.check_references and (code or pid):
            return self.services.get(code), self.projects.get(pid)
        if code:
            if code not in self.services:
                self.error(row, "service_code", f"サービス {code} はありません", f"No service {code}")
            return self.services.get(code), None
        if not pid:
            self.error(row, "project_id", "プロジェクトID（予算事業ID）かサービスコードが必要です",
                       "A project ID (予算事業ID) or a service code is required")
            return None, None
        if pid not in self.projects:
            self.error(row, "project_id", f"プロジェクト {pid} はありません", f"No project {pid}")
        return None, self.projects.get(pid)

    def cell_number(self, row, field_name, text, *, withheld_ok=False):
        """A number, None for blank, or "withheld"; errors are recorded and give None."""
        value = _norm(text)
        if not value:
            return None
        if value in WITHHELD_MARKERS:
            if withheld_ok:
                return "withheld"
            self.error(row, field_name, "非公表にはできない項目です", "This value cannot be withheld")
            return None
        try:
            return _number(value)
        except ValueError:
            self.error(row, field_name, f"数値ではありません（{value}）", f"Not a number ({value})")
            return None

    def common(self, row, values, indicator: Indicator) -> None:
        """Unit, direction, goal and name: the same on every row of one indicator."""
        for name in ("goal", "name_ja", "name_en", "unit"):
            if values.get(name):
                indicator.data.setdefault(name, values[name])
        direction = _norm(values.get("direction", ""))
        if direction:
            if direction not in DIRECTIONS:
                self.error(row, "direction", f"上向き・下向きのいずれかです（{direction}）",
                           f"Either 上向き (higher) or 下向き (lower) ({direction})")
            else:
                indicator.data.setdefault("direction", DIRECTIONS[direction])

    def finish(self) -> None:
        for ind in self.indicators.values():
            if not ind.data.get("name_ja"):
                self.error(ind.row, "name_ja", "指標名（活動指標／成果指標）がありません",
                           "The indicator name (活動指標／成果指標) is missing")
            if not ind.data.get("unit"):
                self.error(ind.row, "unit", "単位がありません", "The unit is missing")
            if ind.data.get("level") == KpiLevel.OUTCOME and not ind.data.get("term"):
                self.error(ind.row, "term", "アウトカムには期間（短期・中期・長期）が必要です",
                           "An outcome needs its term (短期, 中期 or 長期)")
            if ind.data.get("target_year") is not None and ind.data.get("target_value") is None:
                ind.data["target_value"] = ind.targets.get(ind.data["target_year"])
                if ind.data["target_value"] is None:
                    self.error(ind.row, "target_value", "目標年度の目標値がありません",
                               "No target value for the target year")


def _read_rs(reader: _Reader, rows: list[tuple[int, dict]], years: list[str]) -> None:
    for row, values in rows:
        if not any(values.values()):
            continue
        service, project = reader.target_of(row, values)
        number, kind = _norm(values.get("number", "")), _norm(values.get("kind", ""))
        if kind not in KINDS:
            reader.error(row, "種別", f"アクティビティ・アウトプット・アウトカムのいずれかです（{kind or '空欄'}）",
                         f"One of アクティビティ, アウトプット, アウトカム ({kind or 'blank'})")
            continue
        if not number:
            reader.error(row, "番号", "指標の番号がありません", "The indicator number is missing")
            continue
        level, term = KINDS[kind]
        if values.get("term"):
            term = TERMS.get(_norm(values["term"]).replace("アウトカム", ""))
            if term is None:
                reader.error(row, "アウトカムの期間", f"短期・中期・長期のいずれかです（{values['term']}）",
                             f"One of 短期, 中期, 長期 ({values['term']})")
                term = ""
        owner = service.code if service else (project.project_id if project else values.get("project_id") or
                                              values.get("rs_project_id", ""))
        prefix = {KpiLevel.ACTIVITY: "A", KpiLevel.OUTPUT: "OP", KpiLevel.OUTCOME: "OC"}[level]
        code = values.get("code") or f"{owner}-{prefix}{number}"[:32]
        indicator = reader.indicators.get(code)
        if indicator is None:
            indicator = reader.indicators[code] = Indicator(code=code, row=row, service=service, project=project,
                                                            data={"level": level, "term": term or ""})
        reader.common(row, values, indicator)
        row_kind = next((v for k, v in ROW_KINDS.items() if k in _norm(values.get("row_kind", ""))), None)
        if row_kind is None:
            reader.error(row, "目標年度／目標値／実績値／達成率",
                         f"目標年度・目標値・実績値・達成率のいずれかです（{values.get('row_kind') or '空欄'}）",
                         f"One of 目標年度, 目標値, 実績値, 達成率 ({values.get('row_kind') or 'blank'})")
            continue
        for year in years:
            text = values.get(year, "")
            if row_kind == "rate":
                continue  # recomputed from the target and the actual
            if row_kind == "target_year":
                if _norm(text) and _norm(text) not in WITHHELD_MARKERS:
                    try:
                        indicator.data["target_year"] = max(indicator.data.get("target_year") or 0,
                                                            _fiscal_year(text))
                    except ValueError:
                        reader.error(row, year, f"年度ではありません（{text}）", f"Not a fiscal year ({text})")
                continue
            value = reader.cell_number(row, year, text, withheld_ok=row_kind == "actual")
            if value is None and not _norm(text):
                continue
            if row_kind == "target" and value is not None:
                indicator.targets[int(year)] = value
            elif row_kind == "actual" and (value is not None or _norm(text)):
                indicator.actuals[int(year)] = None if value == "withheld" else value


def _read_service_kpis(reader: _Reader, rows: list[tuple[int, dict]]) -> None:
    for row, values in rows:
        if not any(values.values()):
            continue
        code = values.get("kpi_code", "")
        if not code:
            reader.error(row, "kpi_code", "指標コードがありません", "The indicator code is missing")
            continue
        service, project = reader.target_of(row, values)
        indicator = reader.indicators.get(code)
        if indicator is None:
            level = values.get("level", "")
            if level not in KpiLevel.values:
                reader.error(row, "level", f"activity・output・outcome のいずれかです（{level}）",
                             f"One of activity, output, outcome ({level})")
            term = values.get("term", "")
            if term and term not in KpiTerm.values:
                reader.error(row, "term", f"short・mid・long のいずれかです（{term}）",
                             f"One of short, mid, long ({term})")
            standard = values.get("standard", "")
            if standard and standard not in StandardMeasure.values:
                reader.error(row, "standard", f"標準指標が不正です（{standard}）", f"Unknown standard measure ({standard})")
            indicator = reader.indicators[code] = Indicator(
                code=code, row=row, service=service, project=project,
                data={"level": level, "term": term, "standard": standard},
                derived_from=[c.strip() for c in values.get("derived_from", "").split(";") if c.strip()])
            target_year = values.get("target_year", "")
            if target_year:
                try:
                    indicator.data["target_year"] = _fiscal_year(target_year)
                except ValueError:
                    reader.error(row, "target_year", f"年度ではありません（{target_year}）",
                                 f"Not a fiscal year ({target_year})")
                indicator.data["target_value"] = reader.cell_number(row, "target_value", values.get("target_value", ""))
        reader.common(row, values, indicator)
        if not values.get("fiscal_year"):
            continue
        try:
            year = _fiscal_year(values["fiscal_year"])
        except ValueError:
            reader.error(row, "fiscal_year", f"年度ではありません（{values['fiscal_year']}）",
                         f"Not a fiscal year ({values['fiscal_year']})")
            continue
        target = reader.cell_number(row, "target", values.get("target", ""))
        if target is not None:
            indicator.targets[year] = target
        actual = reader.cell_number(row, "actual", values.get("actual", ""), withheld_ok=True)
        if actual is not None:
            indicator.actuals[year] = None if actual == "withheld" else actual


def read(text: str, *, check_references: bool = True) -> _Reader:
    """Parse a 3-1 or `service_kpis` CSV into indicators, collecting every error; without
    `check_references`, services and projects not (yet) stored are not reported."""
    reader = _Reader(check_references=check_references)
    lines = list(csv.reader(io.StringIO(text)))
    if not lines:
        reader.error(1, "—", "ファイルが空です", "The file is empty")
        return reader
    header = [_norm(h) for h in lines[0]]
    if len(lines) - 1 > MAX_ROWS:
        reader.error(MAX_ROWS + 2, "—", f"行数が上限（{MAX_ROWS:,}行）を超えています",
                     f"More rows than the limit ({MAX_ROWS:,})")
        return reader
    interchange = "kpi_code" in header
    names, years = [], []
    for h in header:
        if interchange:
            names.append(h if h in SERVICE_KPI_COLUMNS else None)
        elif _YEAR.match(h):
            year = str(_fiscal_year(h))
            names.append(year)
            years.append(year)
        else:
            names.append(_RS_INDEX.get(h.lower()) or (None if h in _RS_DESCRIPTIVE else ""))
        if names[-1] == "" or (interchange and names[-1] is None):
            reader.error(1, h or "—", "不明な列です", "Unknown column")
    if not interchange and not {"kind", "row_kind"} <= set(names):
        reader.error(1, "—", "RS 3-1の列（種別、目標年度／目標値／実績値／達成率）がありません",
                     "The RS 3-1 columns (種別, 目標年度／目標値／実績値／達成率) are missing")
    if reader.errors:
        return reader
    # Free text is kept as written; codes, choices and numbers are folded where they are read.
    rows = [(number, {n: (v or "").strip() for n, v in zip(names, line, strict=False) if n})
            for number, line in enumerate(lines[1:], start=2)]
    if interchange:
        _read_service_kpis(reader, rows)
    else:
        _read_rs(reader, rows, years)
    reader.finish()
    return reader


def _validation_errors(row: int, error: Exception) -> list[RowError]:
    if isinstance(error, ApplicationError):
        return [RowError(row, "—", error.message_ja, error.message_en)]
    out = []
    for name, messages in getattr(error, "message_dict", {"—": [str(error)]}).items():
        for message in messages:
            ja, _, en = str(message).partition(" / ")
            out.append(RowError(row, name, ja, en or ja))
    return out


class _Rollback(Exception):
    pass


def kpis_import(*, actor: Actor, data: bytes, dry_run: bool = False, reason: str = "") -> ImportResult:
    """Read and write a whole file in one transaction; any error (or a dry run) leaves the database as it was."""
    reader = read(decode(data))
    result = ImportResult(errors=reader.errors, dry_run=dry_run)
    if result.errors:
        return result
    existing = {k.code: k for k in Kpi.objects.filter(code__in=list(reader.indicators))}
    try:
        with transaction.atomic():
            for ind in reader.indicators.values():
                _write(actor=actor, indicator=ind, existing=existing.get(ind.code), result=result, reason=reason)
            for ind in reader.indicators.values():
                if ind.derived_from:
                    _link(actor=actor, indicator=ind, result=result, reason=reason)
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _write(*, actor, indicator: Indicator, existing: Kpi | None, result: ImportResult, reason: str) -> None:
    data = {k: v for k, v in indicator.data.items() if v is not None or k in ("target_year", "target_value")}
    data.setdefault("target_year", None)
    data.setdefault("target_value", None)
    try:
        with transaction.atomic():
            if existing is None:
                kpi = services.kpi_create(actor=actor, reason=reason, data={
                    "code": indicator.code, "service": indicator.service, "project": indicator.project, **data})
                result.created += 1
            else:
                if (existing.service_id, existing.project_id) != (getattr(indicator.service, "pk", None),
                                                                 getattr(indicator.project, "pk", None)):
                    raise ApplicationError("既存の指標の対象（サービス・プロジェクト）は変えられません",
                                           "An existing indicator's service or project cannot change")
                editable = {k: v for k, v in data.items() if k in services.KPI_EDITABLE}
                kpi = services.kpi_update(actor=actor, kpi=existing, data=editable, reason=reason)
                result.updated += 1
            for year in sorted(set(indicator.targets) | set(indicator.actuals)):
                actual = indicator.actuals.get(year)
                services.kpi_value_set(actor=actor, kpi=kpi, fiscal_year=year, target=indicator.targets.get(year),
                                       actual=actual, actual_withheld=year in indicator.actuals and actual is None,
                                       reason=reason)
                result.values += 1
    except (ValidationError, ApplicationError) as error:
        result.errors.extend(_validation_errors(indicator.row, error))


def _link(*, actor, indicator: Indicator, result: ImportResult, reason: str) -> None:
    parents = {k.code: k for k in Kpi.objects.filter(code__in=indicator.derived_from)}
    missing = [c for c in indicator.derived_from if c not in parents]
    if missing:
        result.errors.append(RowError(indicator.row, "derived_from", f"派生元の指標がありません: {', '.join(missing)}",
                                      f"Unknown higher goals: {', '.join(missing)}"))
        return
    kpi = Kpi.objects.get(code=indicator.code)
    try:
        services.kpi_update(actor=actor, kpi=kpi, data={"derived_from": [parents[c] for c in indicator.derived_from]},
                            reason=reason)
    except (ValidationError, ApplicationError) as error:
        result.errors.extend(_validation_errors(indicator.row, error))
