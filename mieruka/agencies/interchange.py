"""The `gss_migrations` interchange table: one row per ministry LAN, read from and written to CSV.

Headers in English or Japanese, in any order; the file is UTF-8 (with or without BOM) or Shift_JIS. An
import is all-or-nothing: every row is checked first, and a file with any bad row changes nothing and is
reported with row, column, value and reason. Rows are matched on `lan_code` and updated in place, so
importing the same file twice changes nothing the second time. Writes go through the services, so each
change is checked for permission and audited under one batch.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.interchange import schema
from mieruka.interchange.values import CellError, is_blank, parse_code, parse_date, parse_nonnegative_integer
from mieruka.organizations.models import Organization

from . import services
from .choices import GssStatus
from .models import GssMigration

TABLE = "gss_migrations"
MAX_ROWS = 1000


@dataclass(frozen=True)
class Column:
    name: str
    ja: str
    required: bool = False


COLUMNS = (
    Column("lan_code", "LANコード", required=True),
    Column("name_ja", "LAN名", required=True),
    Column("organization_code", "組織コード", required=True),
    Column("status", "状態", required=True),
    Column("planned_on", "移行予定日"),
    Column("merged_on", "移行日"),
    Column("staff_count", "利用職員数"),
    Column("note", "備考"),
)
_HEADERS = {**{c.name: c.name for c in COLUMNS}, **{c.ja: c.name for c in COLUMNS}}
# Status in the file: the code or its Japanese label.
_STATUSES = {**{s.value: s.value for s in GssStatus},
             "未定": "not_scheduled", "移行予定": "planned", "移行中": "migrating", "移行済み": "merged"}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason_ja: str
    reason_en: str



def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a CSV file as {column name: cell}; refused when the header names an unknown column."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ApplicationError("文字コードを判別できません（UTF-8またはShift_JISで保存してください）",
                               "The file is neither UTF-8 nor Shift_JIS")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    unknown = [h for h in header if h and h not in _HEADERS]
    if unknown:
        raise ApplicationError(f"{TABLE}：不明な列があります（{'、'.join(unknown)}）",
                               f"{TABLE}: unknown columns ({', '.join(unknown)})")
    names = [_HEADERS.get(h) for h in header]
    missing = [c.name for c in COLUMNS if c.required and c.name not in names]
    if missing:
        raise ApplicationError(f"{TABLE}：必須の列がありません（{'、'.join(missing)}）",
                               f"{TABLE}: required columns are missing ({', '.join(missing)})")
    rows = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        rows.append({n: (cells[i] if i < len(cells) else "") for i, n in enumerate(names) if n})
        if len(rows) > MAX_ROWS:
            raise ApplicationError(f"{TABLE}：行数が上限（{MAX_ROWS}行）を超えています",
                                   f"{TABLE}: more than {MAX_ROWS} rows")
    return rows


def _parse(row: dict, n: int, orgs: dict[str, Organization], errors: list[RowError]) -> dict | None:
    data: dict = {}
    before = len(errors)

    def fail(column, reason_ja, reason_en):
        errors.append(RowError(n, column, str(row.get(column, "")), reason_ja, reason_en))

    for column in COLUMNS:
        raw = row.get(column.name, "")
        if is_blank(raw):
            if column.required:
                fail(column.name, "必須項目です", "required")
            continue
        try:
            if column.name in ("planned_on", "merged_on"):
                data[column.name] = parse_date(raw)
            elif column.name == "staff_count":
                data[column.name] = parse_nonnegative_integer(raw)
            elif column.name == "status":
                value = _STATUSES.get(str(raw).strip())
                if value is None:
                    raise CellError("not_scheduled・planned・migrating・merged（未定・移行予定・移行中・移行済み）のいずれかです",
                                    "one of not_scheduled, planned, migrating, merged")
                data["status"] = value
            elif column.name == "organization_code":
                org = orgs.get(parse_code(raw))
                if org is None:
                    raise CellError("この組織コードの組織はありません", "no organization has this code")
                data["organization"] = org
            else:
                data[column.name] = parse_code(raw, max_length=32) if column.name == "lan_code" else str(raw).strip()
        except CellError as exc:
            fail(column.name, exc.reason_ja, exc.reason_en)
    return data if len(errors) == before else None


OPTIONAL = {"planned_on": None, "merged_on": None, "staff_count": None, "note": ""}


@transaction.atomic
def gss_migrations_import(*, actor: Actor, rows: list[dict], reason: str = "") -> dict[str, int]:
    """Create or update ministry LANs from rows; all or nothing, every bad row reported."""
    orgs = {o.code: o for o in Organization.objects.all()}
    existing = {m.lan_code: m for m in GssMigration.objects.select_related("organization")}
    errors: list[RowError] = []
    planned: list[tuple[GssMigration | None, dict]] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        data = _parse(row, n, orgs, errors)
        if data is None:
            continue
        if data["lan_code"] in seen:
            errors.append(RowError(n, "lan_code", data["lan_code"], f"{seen[data['lan_code']]}行目と重複しています",
                                   f"duplicates row {seen[data['lan_code']]}"))
            continue
        seen[data["lan_code"]] = n
        # A blank optional cell clears the stored value, so export followed by import is lossless.
        values = {**OPTIONAL, **data}
        try:
            # The model's own rules (a merged LAN has its date, …), checked before anything is written.
            GssMigration(**values).full_clean(validate_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                column = "organization_code" if field_name == "organization" else field_name
                errors.append(RowError(n, column, str(row.get(column, "")), "；".join(messages), "; ".join(messages)))
            continue
        planned.append((existing.get(data["lan_code"]), values))
    if errors:
        shown = errors[:50]
        more = len(errors) - len(shown)
        raise ApplicationError(
            f"{TABLE}：{len(errors)}件の誤りがあるため、何も取り込んでいません\n" + "\n".join(
                f"{e.row}行目・{e.column}（{e.value}）：{e.reason_ja}" for e in shown) + (f"\n…ほか{more}件" if more else ""),
            f"{TABLE}: {len(errors)} errors, nothing was imported\n" + "\n".join(
                f"row {e.row}, {e.column} ({e.value!r}): {e.reason_en}" for e in shown) + (f"\n… {more} more" if more else ""),
        )
    created = updated = 0
    for current, values in planned:
        if current is None:
            services.gss_migration_create(actor=actor, data=values, reason=reason)
            created += 1
            continue
        changes = {k: v for k, v in values.items() if k != "lan_code" and getattr(current, k) != v}
        if changes:
            services.gss_migration_update(actor=actor, migration=current, data=changes, reason=reason)
            updated += 1
    return {"created": created, "updated": updated, "unchanged": len(planned) - created - updated}


def gss_migrations_rows(queryset=None) -> list[dict[str, object]]:
    """Every LAN as an interchange row (dates ISO, blanks empty)."""
    qs = queryset if queryset is not None else GssMigration.objects.select_related("organization")
    out = []
    for m in qs.order_by("organization__order", "lan_code"):
        out.append({
            "lan_code": m.lan_code, "name_ja": m.name_ja, "organization_code": m.organization.code,
            "status": m.status, "planned_on": m.planned_on.isoformat() if m.planned_on else "",
            "merged_on": m.merged_on.isoformat() if m.merged_on else "",
            "staff_count": "" if m.staff_count is None else m.staff_count, "note": m.note,
        })
    return out


# The same table as the interchange schema sees it, for the full JSON export (`mieruka export --format json`,
# through the interchange's table registry); the CSV above stays the way to import it.
GSS_TABLE = schema.Table(
    TABLE, "GSS移行",
    (
        schema.Column("lan_code", "LANコード", schema.CODE, required=True, max_length=32),
        schema.Column("name_ja", "LAN名", schema.TEXT, required=True, max_length=200),
        schema.Column("organization_code", "組織コード", schema.CODE, required=True, max_length=32),
        schema.Column("status", "状態", schema.CHOICE, required=True, choices=tuple(
            schema.Choice(code, ja, en) for code, ja, en in (
                ("not_scheduled", "未定", "Not scheduled"), ("planned", "移行予定", "Planned"),
                ("migrating", "移行中", "Migrating"), ("merged", "移行済み", "Merged")))),
        schema.Column("planned_on", "移行予定日", schema.DATE),
        schema.Column("merged_on", "移行日", schema.DATE),
        schema.Column("staff_count", "利用職員数", schema.INTEGER),
        schema.Column("note", "備考", schema.TEXT),
    ),
    key=("lan_code",), public=False,
    help_ja="府省LANのGSSへの移行予定日と移行日", help_en="Each ministry LAN's planned and actual merger into GSS",
)


def gss_export_rows():
    """Canonical records of every LAN, for the JSON export (dates as dates, blanks as None)."""
    for m in GssMigration.objects.select_related("organization").order_by("organization__order", "lan_code"):
        yield {"lan_code": m.lan_code, "name_ja": m.name_ja, "organization_code": m.organization.code,
               "status": m.status, "planned_on": m.planned_on, "merged_on": m.merged_on,
               "staff_count": m.staff_count, "note": m.note}


def gss_migrations_csv(queryset=None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.name for c in COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(gss_migrations_rows(queryset))
    return buffer.getvalue()


