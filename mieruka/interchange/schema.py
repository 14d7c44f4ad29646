"""The interchange format, version 1 (`INTERCHANGE.md`), as data: tables, columns, kinds and choices.

Plain Python with no Django imports, so readers, validation and writers can be tested without a database.
The choice lists mirror the model choices; a test checks they stay in step.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

FORMAT_ID = "mieruka/1"

# Column kinds: how a cell is parsed on import and written on export.
TEXT = "text"  # free text, blank allowed unless required
CODE = "code"  # identifier or reference: trimmed, no inner line breaks
CHOICE = "choice"
CHOICE_LIST = "choice_list"
TEXT_LIST = "text_list"
CODE_LIST = "code_list"
INTEGER = "integer"  # ≥ 0
DECIMAL = "decimal"  # ≥ 0, two decimal places
DATE = "date"
BOOLEAN = "boolean"
FISCAL_YEAR = "fiscal_year"
MONEY = "money"  # integer yen ≥ 0

LIST_KINDS = (CHOICE_LIST, TEXT_LIST, CODE_LIST)


@dataclass(frozen=True)
class Choice:
    value: str
    ja: str
    en: str


@dataclass(frozen=True)
class Column:
    name: str
    ja: str
    kind: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None
    # Restricted columns are left out of open data.
    public: bool = True
    # Columns Mieruka adds to the published format (documented in docs/interchange.md).
    extension: bool = False
    help_ja: str = ""
    help_en: str = ""

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)


@dataclass(frozen=True)
class Table:
    name: str
    ja: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    help_ja: str = ""
    help_en: str = ""
    _by_name: dict = field(default_factory=dict, compare=False, repr=False)

    def column(self, name: str) -> Column:
        if not self._by_name:
            self._by_name.update({c.name: c for c in self.columns})
        return self._by_name[name]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


def _choices(*items: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*item) for item in items)


ORGANIZATION_KINDS = _choices(
    ("digital_agency", "デジタル庁", "Digital Agency"),
    ("ministry", "府省", "Ministry"),
    ("agency", "外局・庁", "Agency (external bureau)"),
    ("bureau", "局・部", "Bureau / department"),
    ("division", "課・室", "Division / office"),
    ("independent_agency", "独立行政法人", "Independent administrative agency"),
    ("local_government", "地方公共団体", "Local government"),
    ("other", "その他", "Other"),
)
CLASSIFICATIONS = _choices(
    ("digital_agency", "デジタル庁システム", "Digital Agency system"),
    ("joint", "デジタル庁・各府省共同プロジェクト型", "Joint project with the Digital Agency"),
    ("ministry", "各府省システム", "Ministry system"),
    ("independent_agency", "独立行政法人のシステム", "Independent administrative agency system"),
    ("local_government", "地方公共団体のシステム", "Local government system"),
)
STATUSES = _choices(
    ("planned", "計画中", "Planned"),
    ("development", "開発中", "In development"),
    ("operation", "運用中", "In operation"),
    ("retiring", "廃止予定", "Retiring"),
    ("retired", "廃止済み", "Retired"),
)
USER_GROUPS = _choices(
    ("citizens", "国民", "Citizens"),
    ("businesses", "事業者", "Businesses"),
    ("staff", "職員", "Government staff"),
    ("local_governments", "地方公共団体", "Local governments"),
    ("other_systems", "他システム", "Other systems"),
)
HOSTINGS = _choices(
    ("government_cloud", "ガバメントクラウド", "Government cloud"),
    ("other_cloud", "その他のクラウド", "Other cloud"),
    ("on_premises", "オンプレミス", "On premises"),
    ("gss", "GSS", "GSS"),
    ("unknown", "不明", "Unknown"),
)
CATEGORIES = _choices(
    ("development", "整備等経費", "Development"),
    ("operation", "運用等経費", "Operation"),
)
STAGES = _choices(
    ("request", "概算要求", "Budget request"),
    ("initial", "当初予算", "Initial budget"),
    ("supplementary", "補正予算", "Supplementary budget"),
    ("carryover", "繰越", "Carried over"),
    ("executed", "執行額", "Executed"),
)
APPROPRIATIONS = _choices(
    ("digital_agency", "デジタル庁一括計上", "Digital Agency lump sum"),
    ("ministry", "府省計上", "Ministry"),
)
PHASES = _choices(
    ("planning", "企画", "Planning"),
    ("requirements", "要件定義", "Requirements definition"),
    ("procurement", "調達", "Procurement"),
    ("development", "設計・開発", "Design and development"),
    ("operation", "運用・保守", "Operation and maintenance"),
    ("review", "見直し", "Review"),
)
INTERFACE_KINDS = _choices(
    ("data", "データ連携", "Data linkage"),
    ("api", "API", "API"),
    ("file", "ファイル連携", "File transfer"),
    ("authentication", "認証", "Authentication"),
    ("platform", "共通基盤", "Shared platform"),
)
BOOLEANS = _choices(("true", "はい（○）", "yes"), ("false", "いいえ（空欄）", "no"))
KNOWN_PLATFORMS = ("GIMA", "GPKI", "GBIZID", "JPKI", "GSS", "BASE_REGISTRY", "DATA_LINKAGE", "GOV_CLOUD")

ORGANIZATIONS = Table(
    "organizations", "組織",
    (
        Column("organization_code", "組織コード", CODE, required=True, max_length=32,
               help_ja="組織を一意に識別する安定したコード", help_en="Stable identifier, unique"),
        Column("name_ja", "組織名", TEXT, required=True, max_length=200),
        Column("name_en", "組織名（英語）", TEXT, max_length=200),
        Column("kind", "組織種別", CHOICE, required=True, choices=ORGANIZATION_KINDS),
        Column("parent_code", "上位組織コード", CODE, max_length=32,
               help_ja="上位組織の組織コード（局 → 府省）", help_en="organization_code of the parent (bureau → ministry)"),
        Column("order", "建制順", INTEGER, help_ja="府省の公式な並び順", help_en="Official ordering of ministries"),
        Column("corporate_number", "法人番号", CODE, max_length=13,
               help_ja="13桁（チェックディジットを検証）", help_en="13 digits, check digit validated"),
        Column("local_government_code", "地方公共団体コード", CODE, max_length=6,
               help_ja="6桁の全国地方公共団体コード（チェックディジットを検証）",
               help_en="6 digits (全国地方公共団体コード), check digit validated"),
    ),
    key=("organization_code",),
    help_ja="府省庁・局・課・独立行政法人・地方公共団体", help_en="Ministries, bureaus, divisions, agencies, local governments",
)

SYSTEMS = Table(
    "systems", "情報システム",
    (
        Column("system_id", "情報システムID", CODE, required=True, max_length=32,
               help_ja="情報システムを一意に識別する安定したID", help_en="Stable identifier, unique"),
        Column("name_ja", "情報システム名", TEXT, required=True, max_length=200),
        Column("name_en", "情報システム名（英語）", TEXT, max_length=200),
        Column("organization_code", "組織コード", CODE, required=True, max_length=32,
               help_ja="所管する組織の組織コード", help_en="Owning organization"),
        Column("classification", "情報システム区分", CHOICE, required=True, choices=CLASSIFICATIONS),
        Column("status", "状態", CHOICE, required=True, choices=STATUSES),
        Column("purpose", "目的・概要", TEXT),
        Column("functions", "業務・機能", TEXT_LIST, help_ja="支える業務・機能（;区切り）",
               help_en="Business functions it serves (;-separated)"),
        Column("users", "利用者", CHOICE_LIST, choices=USER_GROUPS),
        Column("annual_users", "年間利用者数", INTEGER),
        Column("hosting", "稼働環境", CHOICE, choices=HOSTINGS),
        Column("platforms", "利用共通基盤", CODE_LIST, max_length=32,
               help_ja="利用する共通基盤のコード（;区切り）: " + ", ".join(KNOWN_PLATFORMS) + " または他のコード",
               help_en="Codes of shared platforms used (;-separated): " + ", ".join(KNOWN_PLATFORMS)
               + " or another code"),
        Column("important", "重点プロジェクト対象", BOOLEAN, choices=BOOLEANS),
        Column("started_on", "運用開始日", DATE),
        Column("retired_on", "廃止日", DATE),
        Column("internal_notes", "内部メモ", TEXT, public=False, extension=True,
               help_ja="府省・デジタル庁内部のメモ（オープンデータには含めない）",
               help_en="Internal notes (never in open data)"),
    ),
    key=("system_id",),
    help_ja="政府情報システム", help_en="Government information systems",
)

BUDGETS = Table(
    "budgets", "予算",
    (
        Column("system_id", "情報システムID", CODE, required=True, max_length=32),
        Column("fiscal_year", "年度", FISCAL_YEAR, required=True,
               help_ja="2025、2025年度、令和7年度のいずれの書き方も可", help_en="2025, 2025年度 or 令和7年度"),
        Column("category", "経費区分", CHOICE, required=True, choices=CATEGORIES),
        Column("stage", "段階", CHOICE, required=True, choices=STAGES),
        Column("amount_yen", "金額（円）", MONEY, required=True, help_ja="0以上の整数（円）",
               help_en="Integer yen, 0 or more"),
        Column("appropriation", "計上区分", CHOICE, choices=APPROPRIATIONS,
               help_ja="空欄は府省計上（ministry）", help_en="Blank means ministry"),
    ),
    key=("system_id", "fiscal_year", "category", "stage", "appropriation"),
    help_ja="情報システム・年度・経費区分・段階ごとの金額", help_en="Amounts per system, fiscal year, category and stage",
)

PROJECTS = Table(
    "projects", "プロジェクト",
    (
        Column("project_id", "プロジェクトID", CODE, required=True, max_length=32),
        Column("name_ja", "プロジェクト名", TEXT, required=True, max_length=200),
        Column("system_ids", "対象情報システムID", CODE_LIST, max_length=32),
        Column("phase", "工程", CHOICE, required=True, choices=PHASES),
        Column("purpose", "目的", TEXT),
        Column("starts_on", "開始日", DATE),
        Column("ends_on", "終了日", DATE),
        Column("pjmo_staff", "PJMO職員数", DECIMAL, help_ja="常勤換算、小数可", help_en="Full-time equivalent, decimal"),
        Column("pjmo_external", "PJMO外部人材数", DECIMAL, help_ja="常勤換算、小数可",
               help_en="Full-time equivalent, decimal"),
        Column("kpi_name", "成果指標", TEXT, max_length=200),
        Column("kpi_target", "目標値", TEXT, max_length=100),
        Column("kpi_actual", "実績値", TEXT, max_length=100),
        Column("organization_code", "組織コード", CODE, max_length=32, extension=True,
               help_ja="担当組織。空欄なら最初の対象情報システムの組織",
               help_en="Responsible organization; when absent, that of the first system"),
        Column("important", "重点プロジェクト対象", BOOLEAN, choices=BOOLEANS, extension=True),
    ),
    key=("project_id",),
    help_ja="情報システムを整備・運用するプロジェクト", help_en="Projects that build or run systems",
)

INTERFACES = Table(
    "interfaces", "連携",
    (
        Column("from_system_id", "連携元情報システムID", CODE, required=True, max_length=32),
        Column("to_system_id", "連携先情報システムID", CODE, required=True, max_length=32),
        Column("kind", "連携種別", CHOICE, required=True, choices=INTERFACE_KINDS),
        Column("description", "内容", TEXT),
    ),
    key=("from_system_id", "to_system_id", "kind"),
    help_ja="情報システム間の連携", help_en="Links between systems",
)

TABLES: dict[str, Table] = {t.name: t for t in (ORGANIZATIONS, SYSTEMS, BUDGETS, PROJECTS, INTERFACES)}
# Dependency order: a row may refer only to tables before it (or, for organizations, to itself).
TABLE_ORDER = tuple(TABLES)

# The IT Dashboard's published budget layout, accepted as `budgets` (stage `initial`, two rows each).
IT_DASHBOARD_COLUMNS = (
    "system_id", "system_name", "system_class_code", "system_class", "organization_code", "organization", "year",
    "reduction_code", "reduction", "pf_code", "pf", "operating_budget", "development_budget", "sum_budget",
)
IT_DASHBOARD_REQUIRED = ("system_id", "year", "operating_budget", "development_budget")

# Sheets the template adds for people, skipped on import.
INSTRUCTION_SHEETS = ("説明", "instructions", "readme", "リスト", "lists")


def normalize_label(text: object) -> str:
    """Header or sheet name folded for matching: NFKC (full-width → half-width), trimmed, lower case."""
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().lstrip("\ufeff")


def table_for_label(label: str) -> Table | None:
    """A table by its English or Japanese name (file stem or sheet name)."""
    wanted = normalize_label(label)
    for table in TABLES.values():
        if wanted in (table.name, normalize_label(table.ja)):
            return table
    return None


def header_index(table: Table) -> dict[str, str]:
    """Normalised English and Japanese header → column name."""
    index = {}
    for column in table.columns:
        index[normalize_label(column.name)] = column.name
        index[normalize_label(column.ja)] = column.name
    return index
