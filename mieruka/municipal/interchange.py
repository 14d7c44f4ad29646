"""The interchange table `municipal_migrations`: one row per municipality and business area.

Export: the rows in code order (carried by `mieruka export --format json` through the interchange's
registry, and written as CSV by `mieruka municipal export`). Import (`mieruka municipal import`): CSV or the
`municipal_migrations` array of a JSON document; every bad row is reported by row, field and reason, and a
file with any bad row changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from mieruka.core.audit import Actor, audit_record_many, serialize_object
from mieruka.core.choices import ChangeAction
from mieruka.core.errors import ApplicationError, both_languages
from mieruka.interchange import schema, values
from mieruka.organizations.models import Organization

from .choices import MigrationStatus
from .data import BUSINESS_AREAS
from .models import BusinessArea, MunicipalMigration

TABLE_NAME = "municipal_migrations"
# A file larger than this is refused before parsing: 1,741 × 20 rows fit several times over.
MAX_ROWS = 100_000

STATUSES = (
    schema.Choice(MigrationStatus.NOT_STARTED, "未着手", "not started"),
    schema.Choice(MigrationStatus.PLANNING, "計画中", "planning"),
    schema.Choice(MigrationStatus.MIGRATING, "移行中", "migrating"),
    schema.Choice(MigrationStatus.COMPLETED, "移行完了", "completed"),
)
AREAS = tuple(schema.Choice(code, ja, en) for code, _n, ja, en in BUSINESS_AREAS)

MIGRATIONS_TABLE = schema.Table(
    TABLE_NAME, "基幹業務システム標準化",
    (
        schema.Column("local_government_code", "地方公共団体コード", schema.CODE, required=True, max_length=6,
                      help_ja="6桁（チェックディジット付き）", help_en="Six digits, check digit last"),
        schema.Column("business_area", "基幹業務", schema.CHOICE, required=True, choices=AREAS),
        schema.Column("current_system", "現行システム", schema.TEXT, max_length=200),
        schema.Column("vendor", "事業者", schema.TEXT, max_length=200),
        schema.Column("package", "パッケージ", schema.TEXT, max_length=200),
        schema.Column("status", "移行状況", schema.CHOICE, required=True, choices=STATUSES),
        schema.Column("target_on", "移行目標日", schema.DATE),
        schema.Column("completed_on", "移行完了日", schema.DATE),
        schema.Column("specific_support", "特定移行支援システム", schema.BOOLEAN, choices=schema.BOOLEANS),
        schema.Column("specific_support_reason", "特定移行支援システムの理由", schema.TEXT, max_length=2000),
        schema.Column("specific_support_deadline_fy", "新たな移行期限（年度）", schema.FISCAL_YEAR),
        schema.Column("baseline_cost_yen", "運用経費（平成30年度）", schema.MONEY),
        schema.Column("current_cost_yen", "運用経費（現在）", schema.MONEY),
    ),
    key=("local_government_code", "business_area"),
    help_ja="市区町村×基幹業務ごとの標準準拠システムへの移行状況",
    help_en="Per municipality and business area: the move to a standard-compliant system",
)
FIELDS = tuple(c.name for c in MIGRATIONS_TABLE.columns)
MODEL_FIELDS = FIELDS[2:]


def migration_export_rows(queryset=None):
    """Canonical records of every migration row (or of `queryset`), in code and area order."""
    qs = MunicipalMigration.objects.all() if queryset is None else queryset
    for row in qs.order_by("organization__local_government_code", "business_area__number").values_list(
            "organization__local_government_code", "business_area__code", *MODEL_FIELDS):
        yield dict(zip(FIELDS, row, strict=True))


def migration_csv_bytes(records) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for r in records:
        writer.writerow([values.neutralize(values.to_text(r[name], MIGRATIONS_TABLE.column(name)))
                         if isinstance(r[name], str) else values.to_text(r[name], MIGRATIONS_TABLE.column(name))
                         for name in FIELDS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class RowIssue:
    row: int  # row 1 is the header in CSV; JSON rows count from 1
    field: str
    value: str
    reason_ja: str
    reason_en: str

    def text(self) -> str:
        return both_languages(f"{self.row}行目 {self.field}: {self.reason_ja}（{self.value}）",
                              f"row {self.row}, {self.field}: {self.reason_en} ({self.value!r})")


class ImportRefused(ApplicationError):
    """A file with bad rows: nothing was written; `issues` names each row, field and reason."""

    def __init__(self, issues: list[RowIssue]):
        self.issues = issues
        shown = "\n".join(i.text() for i in issues[:50])
        more = f"\n… (+{len(issues) - 50})" if len(issues) > 50 else ""
        super().__init__(f"取り込みませんでした（{len(issues)}件の誤り）\n{shown}{more}",
                         f"Nothing imported ({len(issues)} errors)\n{shown}{more}")


def _rows_of(content: bytes, name: str) -> list[tuple[int, dict]]:
    if name.lower().endswith(".json"):
        document = json.loads(content.decode("utf-8-sig"))
        items = document.get(TABLE_NAME, []) if isinstance(document, dict) else document
        if not isinstance(items, list):
            raise ApplicationError(f"{TABLE_NAME} は配列にしてください", f"{TABLE_NAME} must be an array")
        return [(n, item if isinstance(item, dict) else {}) for n, item in enumerate(items, start=1)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp932", errors="strict")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    index = schema.header_index(MIGRATIONS_TABLE)
    names = [index.get(schema.normalize_label(h)) for h in header]
    unknown = [h for h, n in zip(header, names, strict=True) if n is None]
    if unknown:
        raise ImportRefused([RowIssue(1, h, h, "不明な列です", "Unknown column") for h in unknown])
    return [(n, {k: v for k, v in zip(names, cells, strict=False)})
            for n, cells in enumerate(reader, start=2)]


def migrations_import(*, actor: Actor, content: bytes, name: str, reason: str = "") -> dict[str, int]:
    """Create or update migration rows from a CSV or JSON file: all or nothing, audited in bulk."""
    rows = _rows_of(content, name)
    if len(rows) > MAX_ROWS:
        raise ApplicationError(f"行数が多すぎます（上限{MAX_ROWS:,}行）", f"Too many rows (at most {MAX_ROWS:,})")
    orgs = {o.local_government_code: o for o in Organization.objects.filter(kind="local_government")
            .exclude(local_government_code="")}
    areas = {a.code: a for a in BusinessArea.objects.all()}
    stored = {(m.organization_id, m.business_area_id): m
              for m in MunicipalMigration.objects.select_related("organization", "business_area")}
    issues: list[RowIssue] = []
    seen: dict[tuple, int] = {}
    planned: list[tuple[MunicipalMigration, dict | None]] = []
    from mieruka.core.permissions import _operator_run, can_edit_organization

    for number, raw in rows:
        record, bad = {}, False
        for column in MIGRATIONS_TABLE.columns:
            cell = raw.get(column.name)
            try:
                record[column.name] = values.parse_cell(cell, column)
            except values.CellError as exc:
                issues.append(RowIssue(number, column.name, str(cell)[:50], exc.reason_ja, exc.reason_en))
                bad = True
                continue
            if column.required and record[column.name] in ("", None):
                issues.append(RowIssue(number, column.name, "", "必須です", "Required"))
                bad = True
        if bad:
            continue
        org = orgs.get(record["local_government_code"])
        if org is None:
            issues.append(RowIssue(number, "local_government_code", record["local_government_code"],
                                   "登録されていない地方公共団体コードです", "Unknown local government code"))
            continue
        if not _operator_run(actor) and actor.user is not None and not can_edit_organization(actor.user, org.pk):
            issues.append(RowIssue(number, "local_government_code", record["local_government_code"],
                                   "この地方公共団体を変更する権限がありません",
                                   "You may not change this local government"))
            continue
        area = areas[record["business_area"]]
        key = (org.pk, area.pk)
        if key in seen:
            issues.append(RowIssue(number, "business_area", area.code, f"{seen[key]}行目と重複しています",
                                   f"Duplicates row {seen[key]}"))
            continue
        seen[key] = number
        data = {name: record[name] for name in MODEL_FIELDS}
        if not data["specific_support"]:
            data["specific_support_reason"] = data["specific_support_reason"] or ""
        instance = stored.get(key)
        before = None
        if instance is None:
            instance = MunicipalMigration(organization=org, prefecture_id=org.parent_id, business_area=area)
        else:
            before = serialize_object(instance)
            if all(getattr(instance, k) == v for k, v in data.items()):
                continue
        for k, v in data.items():
            setattr(instance, k, v)
        try:
            instance.full_clean(exclude=["organization", "business_area"], validate_unique=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    issues.append(RowIssue(number, field, str(data.get(field, ""))[:50], message, message))
            continue
        planned.append((instance, before))
    if issues:
        raise ImportRefused(issues)
    with transaction.atomic():
        new = [m for m, before in planned if before is None]
        changed = [m for m, before in planned if before is not None]
        MunicipalMigration.objects.bulk_create(new, batch_size=2000)
        MunicipalMigration.objects.bulk_update(changed, list(MODEL_FIELDS), batch_size=2000)
        audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=new, reason=reason)
        audit_record_many(actor=actor, action=ChangeAction.UPDATE, instances=changed,
                          befores={m.pk: before for m, before in planned if before is not None}, reason=reason)
    return {"created": len(new), "updated": len(changed), "unchanged": len(rows) - len(planned)}
