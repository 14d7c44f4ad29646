"""The interchange format, version 1 (`INTERCHANGE.md`), as data: tables, columns, kinds and choices.

Plain Python with no Django imports, so readers, validation and writers can be tested without a database.
The choice lists mirror the model choices; a test checks they stay in step.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from mieruka.inventory import taxonomy

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
PERCENT = "percent"  # signed, one decimal place, -100 to 100 (reduction targets)
RATE = "rate"  # ≥ 0, two decimal places, `%` accepted (award rates, which can exceed 100)

# Cells that say a value is withheld or does not apply, in the layouts ministries publish (RS 支出先,
# IT Dashboard). In a column with `withheld=True` they are stored as WITHHELD — never rejected, never zero.
WITHHELD = "withheld"
WITHHELD_MARKERS = ("withheld", "非公表", "非公開", "該当なし", "－", "-", "―", "ー", "‐", "−", "—")

LIST_KINDS = (CHOICE_LIST, TEXT_LIST, CODE_LIST)


@dataclass(frozen=True)
class Choice:
    value: str
    ja: str
    en: str
    # Other spellings accepted on import (the wording of published layouts).
    aliases: tuple[str, ...] = ()


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
    # Other header names accepted on import (published layouts such as RS 支出先 and the IT Dashboard).
    aliases: tuple[str, ...] = ()
    # Whether `WITHHELD_MARKERS` are accepted (stored as WITHHELD, written as `withheld`).
    withheld: bool = False

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
    # Oversight tables are internal working records: never part of open data.
    public: bool = True
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
    ("special_corporation", "特殊法人", "Special public corporation"),
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
BUSINESS_FUNCTIONS = _choices(*((f.code, f.name_ja, f.name_en) for f in taxonomy.FUNCTIONS))
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
    ("transfer_in", "流用等増額", "Transferred in"),
    ("transfer_out", "流用等減額", "Transferred out"),
    ("executed", "執行額", "Executed"),
    ("carryover_out", "翌年度繰越額", "Carried over to the next year"),
    ("unused", "不用額", "Unused"),
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
# The IT Dashboard's classifications: its codes, with the Japanese names its master lists give them (the
# names are accepted on import as well as the codes). They mirror `mieruka.inventory.choices`.
def _numbered(*items: tuple[str, str, str]) -> tuple[Choice, ...]:
    """Two-digit codes, also accepted without their leading zero (a spreadsheet drops it: 01 → 1)."""
    return tuple(Choice(code, ja, en, aliases=(str(int(code)),) if str(int(code)) != code else ())
                 for code, ja, en in items)


PROCESSING_CLASSES = _numbered(
    ("01", "国民・事業者向けサービス系", "Services to citizens and businesses"),
    ("02", "業務処理系", "Business processing"),
    ("03", "内部管理系", "Internal administration"),
    ("04", "情報提供系", "Information provision"),
    ("05", "基盤・共通系", "Infrastructure and common services"),
    ("99", "その他", "Other"),
)
ARCHITECTURES = _numbered(
    ("01", "汎用機（メインフレーム）", "Mainframe"),
    ("02", "オフコン", "Office computer"),
    ("03", "クライアントサーバ", "Client-server"),
    ("04", "Webアプリケーション", "Web application"),
    ("05", "スタンドアロン", "Standalone"),
    ("99", "その他", "Other"),
)
CONSOLIDATION_TARGETS = (
    Choice("1", "該当", "Target of consolidation", aliases=("統廃合対象",)),
    Choice("2", "非該当", "Not a target of consolidation", aliases=("統廃合対象外", "対象外")),
)
PLATFORM_TARGETS = (
    Choice("1", "該当", "Target of platform integration", aliases=("PF統合対象",)),
    Choice("2", "非該当", "Not a target of platform integration", aliases=("PF統合対象外", "対象外")),
)
# The IT Dashboard's column names of the four classifications: (code column, name column) → systems column.
IT_DASHBOARD_CLASSIFICATIONS = {
    "processing_class": ("system_field_code", "system_field"),
    "architecture": ("architecture_code", "architecture"),
    "consolidation": ("reduction_code", "reduction"),
    "platform_integration": ("pf_code", "pf"),
}
BOOLEANS = _choices(("true", "はい（○）", "yes"), ("false", "いいえ（空欄）", "no"))
REPORTING_FREQUENCIES = _choices(("monthly", "月次", "Monthly"), ("quarterly", "四半期", "Quarterly"),
                                 ("annual", "年次", "Annual"))
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
        Column("function_tags", "業務機能分類", CHOICE_LIST, choices=BUSINESS_FUNCTIONS, extension=True,
               help_ja="業務機能分類のコード（;区切り）", help_en="Business-function taxonomy codes (;-separated)"),
        Column("processing_class", "情報処理システム分類", CHOICE, choices=PROCESSING_CLASSES, extension=True,
               aliases=("system_field_code", "情報処理システム分類コード"),
               help_ja="ITダッシュボードの情報処理システム分類コード", help_en="IT Dashboard processing class code"),
        Column("architecture", "アーキテクチャ", CHOICE, choices=ARCHITECTURES, extension=True,
               aliases=("architecture_code", "システムアーキテクチャ", "システムアーキテクチャコード"),
               help_ja="ITダッシュボードのシステムアーキテクチャコード", help_en="IT Dashboard architecture code"),
        Column("consolidation", "統廃合該非", CHOICE, choices=CONSOLIDATION_TARGETS, extension=True,
               aliases=("reduction_code", "統廃合・該非", "統廃合・該非コード"),
               help_ja="統廃合の対象か（1 該当、2 非該当）", help_en="Target of consolidation (1 yes, 2 no)"),
        Column("platform_integration", "PF統合該非", CHOICE, choices=PLATFORM_TARGETS, extension=True,
               aliases=("pf_code", "PF統合・該非", "PF統合・該非コード"),
               help_ja="政府共通プラットフォームへの統合対象か（1 該当、2 非該当）",
               help_en="Target of integration into the government common platform (1 yes, 2 no)"),
    ),
    key=("system_id",),
    help_ja="政府情報システム", help_en="Government information systems",
)

_FY_HELP = {"help_ja": "2025、2025年度、令和7年度、R7のいずれの書き方も可",
            "help_en": "2025, 2025年度, 令和7年度 or R7"}

BUDGETS = Table(
    "budgets", "予算",
    (
        Column("system_id", "情報システムID", CODE, required=True, max_length=32),
        Column("fiscal_year", "年度", FISCAL_YEAR, required=True,
               **_FY_HELP),
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
        Column("reporting_frequency", "報告頻度", CHOICE, choices=REPORTING_FREQUENCIES, extension=True,
               help_ja="状況報告の頻度。空欄は quarterly", help_en="How often status reports are due; blank: quarterly"),
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


# --- oversight tables (docs/oversight.md): reviews, findings, status reports, plans, decisions ----------

REVIEW_STAGES = _choices(
    ("pre_request", "予算要求前", "Pre-budget-request review"),
    ("request", "予算要求時", "Budget-request review"),
    ("execution", "予算執行段階", "Budget-execution review"),
)
REVIEW_STATES = _choices(
    ("draft", "下書き", "Draft"),
    ("submitted", "提出済み", "Submitted"),
    ("in_review", "レビュー中", "In review"),
    ("approved", "承認", "Approved"),
    ("approved_with_conditions", "条件付き承認", "Approved with conditions"),
    ("returned", "差戻し", "Returned"),
)
FOLLOW_UPS = _choices(
    ("none", "なし", "None"),
    ("escalation", "エスカレーション型", "Escalation"),
    ("support", "支援型", "Support"),
)
CHECKLIST_ANSWERS = _choices(
    ("unanswered", "未回答", "Not answered"),
    ("yes", "はい", "Yes"),
    ("partly", "一部", "Partly"),
    ("no", "いいえ", "No"),
    ("na", "該当なし", "Not applicable"),
)
FINDING_KINDS = _choices(("finding", "指摘事項", "Finding"), ("condition", "承認条件", "Condition of approval"))
SEVERITIES = _choices(("high", "高", "High"), ("medium", "中", "Medium"), ("low", "低", "Low"))
FINDING_CATEGORIES = _choices(
    ("purpose", "目的・成果指標", "Purpose and outcome indicators"),
    ("business", "業務改革", "Business process reform"),
    ("cost", "経費・予算", "Cost and budget"),
    ("schedule", "スケジュール", "Schedule"),
    ("procurement", "調達", "Procurement"),
    ("architecture", "アーキテクチャ・技術", "Architecture and technology"),
    ("security", "セキュリティ", "Security"),
    ("staffing", "PJMO体制", "PJMO staffing and governance"),
    ("data", "データ・連携", "Data and interfaces"),
    ("other", "その他", "Other"),
)
FINDING_STATUSES = _choices(
    ("open", "未対応", "Open"),
    ("in_progress", "対応中", "In progress"),
    ("closed", "完了", "Closed"),
    ("withdrawn", "取下げ", "Withdrawn"),
)
RATINGS = _choices(("green", "緑", "Green"), ("amber", "黄", "Amber"), ("red", "赤", "Red"))
# Overall ratings on every scale a report may give (checked against the row's scale in validation.py).
OVERALL_RATINGS = _choices(
    ("green", "緑", "Green"), ("amber_green", "黄緑", "Amber/Green"), ("amber", "黄", "Amber"),
    ("amber_red", "黄赤", "Amber/Red"), ("red", "赤", "Red"),
    *((str(n), str(n), str(n)) for n in (5, 4, 3, 2, 1)),
)
RATING_SCALES = _choices(
    ("rag3", "3段階（緑・黄・赤）", "3-point RAG"),
    ("dca5", "5段階（緑・黄緑・黄・黄赤・赤）", "5-point delivery confidence (DCA)"),
    ("numeric5", "1〜5（5が低リスク）", "1–5 (5 = low risk)"),
)
RATING_SOURCES = _choices(
    ("self_assessment", "自己評価", "Self-assessment"),
    ("assurance_review", "第三者レビュー", "Assurance review"),
)
BASELINE_KINDS = _choices(("cost", "コスト", "Cost"), ("schedule", "スケジュール", "Schedule"))
METRICS = _choices(
    ("operating_cost", "運用等経費", "Operating cost"),
    ("development_cost", "整備等経費", "Development cost"),
    ("total_cost", "運用等経費＋整備等経費", "Total cost"),
)
DECISION_KINDS = _choices(
    ("stop", "停止", "Stop"),
    ("scale_down", "縮小", "Scale down"),
    ("merge", "統合", "Merge"),
    ("continue", "継続", "Continue"),
)


REVIEWS = Table(
    "reviews", "レビュー",
    (
        Column("project_id", "プロジェクトID", CODE, required=True, max_length=32),
        Column("fiscal_year", "年度", FISCAL_YEAR, required=True, **_FY_HELP),
        Column("stage", "レビュー種別", CHOICE, required=True, choices=REVIEW_STAGES),
        Column("state", "状態", CHOICE, required=True, choices=REVIEW_STATES,
               help_ja="取り込んだ状態は事実として記録（承認フローは通さない）",
               help_en="Recorded as a fact (no workflow transitions on import)"),
        Column("phase", "工程", CHOICE, choices=PHASES, help_ja="空欄はプロジェクトの現在の工程",
               help_en="Blank means the project's current phase"),
        Column("reviewer", "担当レビュアー", CODE, max_length=150, help_ja="ユーザー名", help_en="User name"),
        Column("follow_up", "フォローアップ", CHOICE, choices=FOLLOW_UPS, help_ja="空欄は none",
               help_en="Blank means none"),
        Column("support_reviewer", "支援レビュアー", CODE, max_length=150,
               help_ja="ユーザー名（support のとき必須）", help_en="User name, required with support"),
        Column("summary", "提出概要", TEXT),
        Column("conclusion", "結論", TEXT),
        Column("submitted_on", "提出日", DATE),
        Column("decided_on", "判断日", DATE),
        Column("checklist", "チェックリスト回答", TEXT_LIST, choices=CHECKLIST_ANSWERS, extension=True,
               help_ja="「項目コード=回答」を;で区切る（例: RQ-1=yes;RQ-2=no）。回答は yes・partly・no・na"
                       "（はい・一部・いいえ・該当なし）。書かれていない項目は未回答",
               help_en="code=answer items separated by ; (e.g. RQ-1=yes;RQ-2=no); answers yes, partly, no, na; "
                       "items not listed are unanswered"),
    ),
    key=("project_id", "fiscal_year", "stage"),
    help_ja="プロジェクトのレビュー（予算要求前・予算要求時・予算執行段階）",
    help_en="Project reviews (pre-request, request, execution)", public=False,
)

FINDINGS = Table(
    "findings", "指摘事項",
    (
        Column("project_id", "プロジェクトID", CODE, required=True, max_length=32),
        Column("fiscal_year", "年度", FISCAL_YEAR, required=True, **_FY_HELP),
        Column("stage", "レビュー種別", CHOICE, required=True, choices=REVIEW_STAGES),
        Column("number", "指摘番号", INTEGER, required=True,
               help_ja="そのレビューでの通し番号（1から）。新しい指摘は既存の番号の続きにする",
               help_en="Sequence number within the review, from 1; new findings continue the numbering"),
        Column("kind", "種別", CHOICE, required=True, choices=FINDING_KINDS),
        Column("severity", "重要度", CHOICE, required=True, choices=SEVERITIES),
        Column("category", "分類", CHOICE, required=True, choices=FINDING_CATEGORIES),
        Column("phase", "工程", CHOICE, choices=PHASES, help_ja="空欄はレビューの工程",
               help_en="Blank means the review's phase"),
        Column("text", "指摘内容", TEXT, required=True),
        Column("recommendation", "推奨事項", TEXT),
        Column("owner", "担当者", CODE, max_length=150, help_ja="ユーザー名", help_en="User name"),
        Column("due_on", "期限", DATE),
        Column("status", "対応状況", CHOICE, required=True, choices=FINDING_STATUSES),
        Column("response", "回答", TEXT),
        Column("closed_on", "完了日", DATE, help_ja="closed / withdrawn のとき必須、それ以外は空欄",
               help_en="Required when closed or withdrawn, blank otherwise"),
    ),
    key=("project_id", "fiscal_year", "stage", "number"),
    help_ja="レビューの指摘事項・承認条件", help_en="Findings and conditions raised in reviews", public=False,
)

_WITHHELD_HELP_JA = "。非公表・該当なし・－・- は「非公表」として記録（0にはしない）"
_WITHHELD_HELP_EN = "; 非公表, 該当なし, －, - are stored as withheld (never as zero)"
_ASPECT_HELP = {"help_ja": "green・amber・red。非公表は「非公表」、空欄は評価なし",
                "help_en": "green, amber, red; 非公表 / withheld for withheld; blank: not rated", "withheld": True}

STATUS_REPORTS = Table(
    "status_reports", "状況報告",
    (
        Column("project_id", "プロジェクトID", CODE, required=True, max_length=32),
        Column("period_end", "報告期間末", DATE, required=True,
               help_ja="プロジェクトの報告頻度の期末（月次は月末、四半期・年次は四半期末）",
               help_en="The end of a period of the project's frequency (monthly: a month end; quarterly and "
                       "annual: a quarter end)"),
        Column("filed_on", "提出日", DATE, required=True, help_ja="報告期間末以降", help_en="On or after the period end"),
        Column("overall", "総合評価", CHOICE, required=True, choices=OVERALL_RATINGS, withheld=True,
               help_ja="尺度（scale）の値: rag3 は green・amber・red、dca5 は green・amber_green・amber・amber_red・red、"
                       "numeric5 は 5〜1。非公表は「非公表」として記録",
               help_en="A value of the row's scale: rag3 green, amber, red; dca5 green, amber_green, amber, amber_red, "
                       "red; numeric5 5 to 1; 非公表 / withheld is recorded as withheld"),
        Column("schedule", "スケジュール", CHOICE, choices=RATINGS, **_ASPECT_HELP),
        Column("cost", "コスト", CHOICE, choices=RATINGS, **_ASPECT_HELP),
        Column("scope", "スコープ", CHOICE, choices=RATINGS, **_ASPECT_HELP),
        Column("quality", "品質", CHOICE, choices=RATINGS, **_ASPECT_HELP),
        Column("staffing", "体制", CHOICE, choices=RATINGS, **_ASPECT_HELP),
        Column("risk", "リスク", CHOICE, choices=RATINGS, **_ASPECT_HELP),
        Column("narrative", "状況説明", TEXT, required=True),
        Column("forecast_cost_yen", "総費用見込み（円）", MONEY, withheld=True,
               help_ja="円単位の整数" + _WITHHELD_HELP_JA, help_en="Integer yen" + _WITHHELD_HELP_EN),
        Column("forecast_end_on", "完了見込日", DATE),
        Column("scale", "評価尺度", CHOICE, choices=RATING_SCALES, extension=True,
               help_ja="総合評価の尺度。空欄は rag3", help_en="The overall rating's scale; blank: rag3"),
        Column("source", "評価の出所", CHOICE, choices=RATING_SOURCES, extension=True,
               help_ja="self_assessment（自己評価）または assurance_review（第三者レビュー）。空欄は self_assessment",
               help_en="self_assessment or assurance_review; blank: self_assessment"),
    ),
    key=("project_id", "period_end"),
    help_ja="重点プロジェクトの状況報告（月次・四半期・年次）",
    help_en="Status reports of important projects (monthly, quarterly or annual)",
    public=False,
)

BASELINES = Table(
    "baselines", "ベースライン",
    (
        Column("project_id", "プロジェクトID", CODE, required=True, max_length=32),
        Column("kind", "種別", CHOICE, required=True, choices=BASELINE_KINDS),
        Column("set_on", "設定日", DATE, required=True),
        Column("cost_yen", "総費用ベースライン（円）", MONEY, withheld=True,
               help_ja="cost のとき必須、円単位の整数" + _WITHHELD_HELP_JA,
               help_en="Required with cost, integer yen" + _WITHHELD_HELP_EN),
        Column("end_on", "完了予定日", DATE, help_ja="schedule のとき必須", help_en="Required with schedule"),
        Column("reason", "理由", TEXT, help_ja="再設定（2件目以降）のとき必須",
               help_en="Required for a rebaseline (the second or later of its kind)"),
    ),
    key=("project_id", "kind", "set_on"),
    help_ja="プロジェクトのコスト・スケジュールのベースライン（最初が当初、以降は再設定）",
    help_en="Cost and schedule baselines of projects (the first is the original, later ones rebaselines)",
    public=False,
)

PLANS = Table(
    "plans", "中長期計画",
    (
        Column("plan_code", "計画コード", CODE, required=True, max_length=32),
        Column("organization_code", "組織コード", CODE, required=True, max_length=32),
        Column("plan_title", "計画名", TEXT, required=True, max_length=200),
        Column("start_year", "初年度", FISCAL_YEAR, required=True, **_FY_HELP),
        Column("end_year", "最終年度", FISCAL_YEAR, required=True, **_FY_HELP),
        Column("plan_description", "計画の説明", TEXT),
        Column("initiative_code", "取組コード", CODE, required=True, max_length=32),
        Column("title", "取組名", TEXT, required=True, max_length=200),
        Column("description", "取組の説明", TEXT),
        Column("metric", "指標", CHOICE, required=True, choices=METRICS),
        Column("base_year", "基準年度", FISCAL_YEAR, required=True, **_FY_HELP),
        Column("target_year", "目標年度", FISCAL_YEAR, required=True, **_FY_HELP),
        Column("target_reduction_pct", "削減目標（%）", PERCENT, required=True,
               help_ja="-100〜100、小数1桁まで（負の値は増加の許容）",
               help_en="-100 to 100, one decimal place (negative: an allowed increase)"),
        Column("system_ids", "対象情報システムID", CODE_LIST, max_length=32),
        Column("project_ids", "対象プロジェクトID", CODE_LIST, max_length=32),
    ),
    key=("plan_code", "initiative_code"),
    help_ja="府省の中長期計画（1行に1取組、計画の列は同じ計画の行で同じ値）",
    help_en="Mid-term plans, one row per initiative (plan columns repeat the same values)", public=False,
)

DECISIONS = Table(
    "decisions", "判断",
    (
        Column("system_id", "情報システムID", CODE, max_length=32,
               help_ja="情報システムかプロジェクトのどちらか一方", help_en="Exactly one of system_id and project_id"),
        Column("project_id", "プロジェクトID", CODE, max_length=32,
               help_ja="情報システムかプロジェクトのどちらか一方", help_en="Exactly one of system_id and project_id"),
        Column("kind", "判断", CHOICE, required=True, choices=DECISION_KINDS),
        Column("merged_into_system_id", "統合先情報システムID", CODE, max_length=32,
               help_ja="merge のときのみ", help_en="Only with merge"),
        Column("rationale", "理由", TEXT, required=True),
        Column("decided_on", "判断日", DATE, required=True),
        Column("decided_by", "判断者", TEXT, required=True, max_length=200),
        Column("effective_year", "適用開始年度", FISCAL_YEAR, required=True, **_FY_HELP),
    ),
    key=("system_id", "project_id", "decided_on", "kind"),
    help_ja="停止・縮小・統合・継続の判断", help_en="Stop, scale-down, merge and continue decisions", public=False,
)


# --- contracts (docs/contracts.md): the money after the budget ---------------------------------------

CONTRACT_METHODS = (
    Choice("general_lowest", "一般競争入札（最低価格落札方式）", "General competitive bidding (lowest price)",
           ("一般競争入札", "一般競争入札（最低価格）", "最低価格落札方式", "一般競争契約（最低価格）")),
    Choice("general_comprehensive", "一般競争入札（総合評価落札方式）",
           "General competitive bidding (comprehensive evaluation)",
           ("総合評価落札方式", "一般競争入札（総合評価）", "総合評価", "一般競争契約（総合評価）")),
    Choice("designated", "指名競争入札", "Designated competitive bidding", ("指名競争契約",)),
    Choice("proposal", "企画競争", "Proposal competition", ("随意契約（企画競争）", "企画競争随契")),
    Choice("open_call", "公募", "Open call for participants", ("随意契約（公募）", "公募随契")),
    Choice("negotiated", "随意契約", "Negotiated contract", ("随意契約（企画競争なし）", "特命随意契約", "随契")),
    Choice("small_negotiated", "少額随意契約", "Small-amount negotiated contract",
           ("少額随契", "随意契約（少額）")),
)

CONTRACTS = Table(
    "contracts", "契約",
    (
        Column("contract_number", "契約番号", CODE, required=True, max_length=64,
               help_ja="契約を一意に識別する番号", help_en="Identifies the contract, unique"),
        Column("title", "契約件名", TEXT, required=True, max_length=300, aliases=("契約概要",)),
        Column("organization_code", "組織コード", CODE, max_length=32,
               help_ja="契約した組織。空欄なら最初の対象情報システムの組織",
               help_en="Contracting organization; when blank, that of the first system"),
        Column("system_ids", "対象情報システムID", CODE_LIST, max_length=32),
        Column("project_id", "プロジェクトID", CODE, max_length=32),
        Column("vendor_name", "支出先名", TEXT, required=True, max_length=200, aliases=("契約相手方",)),
        Column("vendor_corporate_number", "法人番号", CODE, max_length=13, aliases=("spending_corp_no",),
               help_ja="13桁（チェックディジットを検証）。個人・外国法人などは空欄",
               help_en="13 digits, check digit validated; blank for individuals and foreign companies"),
        Column("method", "契約方式等", CHOICE, required=True, choices=CONTRACT_METHODS,
               aliases=("契約方式",)),
        Column("bidders_count", "入札者数", INTEGER, withheld=True, aliases=("応札者数", "number_of_bidders"),
               help_ja="1以上" + _WITHHELD_HELP_JA, help_en="1 or more" + _WITHHELD_HELP_EN),
        Column("estimated_price_yen", "予定価格", MONEY, withheld=True, aliases=("予定価格（円）",),
               help_ja="円単位の整数" + _WITHHELD_HELP_JA, help_en="Integer yen" + _WITHHELD_HELP_EN),
        Column("amount_yen", "契約金額（円）", MONEY, required=True, aliases=("金額", "契約金額"),
               help_ja="0以上の整数（円）", help_en="Integer yen, 0 or more"),
        Column("award_rate", "落札率", RATE, withheld=True, aliases=("落札率（%）", "successful_bid_rate"),
               help_ja="契約金額÷予定価格（%）。両方あれば計算し、記入値は計算値と一致すること" + _WITHHELD_HELP_JA,
               help_en="Contract amount ÷ estimated price, percent; computed when both are given, and a given "
                       "rate must agree" + _WITHHELD_HELP_EN),
        Column("single_bid", "一者応札", BOOLEAN, choices=BOOLEANS,
               help_ja="競争性のある契約方式で入札者が1者（契約方式と入札者数から導出）",
               help_en="A competitive method with one bidder (derived from the method and the bidders)"),
        Column("single_bid_reason", "一者応札理由", TEXT,
               aliases=("一者応札・一者応募又は競争性のない随意契約となった理由及び改善策",
                        "一者応札・一者応募となった理由")),
        Column("fiscal_year", "年度", FISCAL_YEAR, required=True, aliases=("事業年度", "契約年度"), **_FY_HELP),
        Column("category", "経費区分", CHOICE, required=True, choices=CATEGORIES,
               help_ja="整備（development）または運用（operation）", help_en="Development or operation"),
        Column("starts_on", "契約開始日", DATE),
        Column("ends_on", "契約終了日", DATE),
    ),
    key=("contract_number",),
    help_ja="情報システム・プロジェクトの契約（支出先）", help_en="Contracts of systems and projects (who was paid)",
)

CLOUD_USAGE = Table(
    "cloud_usage", "クラウド利用料",
    (
        Column("system_id", "情報システムID", CODE, required=True, max_length=32),
        Column("month", "利用月", DATE, required=True,
               help_ja="利用月の1日（例 2025-04-01）", help_en="The first day of the month billed (e.g. 2025-04-01)"),
        Column("account", "アカウント", CODE, required=True, max_length=64, public=False,
               help_ja="クラウドのアカウントID（オープンデータには含めない）",
               help_en="Cloud account ID (never in open data)"),
        Column("service_category", "サービス区分", CODE, required=True, max_length=64,
               help_ja="サービスの区分（compute, storage, database, network など）",
               help_en="Service category (compute, storage, database, network, …)"),
        Column("amount_yen", "利用料（円）", MONEY, required=True, help_ja="0以上の整数（円）",
               help_en="Integer yen, 0 or more"),
    ),
    key=("system_id", "month", "account", "service_category"),
    help_ja="ガバメントクラウドの月別利用料（従量課金）", help_en="Monthly government-cloud charges (pay per use)",
)

# --- service outcomes (docs/outcomes.md): indicators of services and projects, the RS logic model --------

KPI_LEVELS = _choices(("activity", "アクティビティ", "Activity"), ("output", "アウトプット", "Output"),
                      ("outcome", "アウトカム", "Outcome"))
KPI_TERMS = _choices(("short", "短期", "Short-term"), ("mid", "中期", "Mid-term"), ("long", "長期", "Long-term"))
KPI_DIRECTIONS = _choices(("higher", "上向き", "Higher is better"), ("lower", "下向き", "Lower is better"))
KPI_STANDARDS = _choices(("online_rate", "オンライン完結率", "Online completion rate"),
                         ("usage", "利用件数", "Usage (cases)"), ("satisfaction", "利用者満足度", "User satisfaction"))

SERVICE_KPIS = Table(
    "service_kpis", "成果指標",
    (
        Column("kpi_code", "指標コード", CODE, required=True, max_length=32),
        Column("service_code", "サービスコード", CODE, max_length=32,
               help_ja="行政サービスの指標ならそのコード（プロジェクトIDとどちらか一方）",
               help_en="The service measured (either this or the project ID)"),
        Column("project_id", "プロジェクトID", CODE, max_length=32, aliases=("予算事業ID",)),
        Column("level", "種別", CHOICE, required=True, choices=KPI_LEVELS,
               aliases=("種別（アクティビティ・アウトプット・アウトカム）",)),
        Column("term", "アウトカムの期間", CHOICE, choices=KPI_TERMS, help_ja="アウトカムは必須",
               help_en="Required for an outcome"),
        Column("goal", "活動目標／成果目標", TEXT, max_length=300, aliases=("アクティビティ／活動目標／成果目標",)),
        Column("name_ja", "活動指標／成果指標", TEXT, required=True, max_length=200),
        Column("name_en", "指標名（英語）", TEXT, max_length=200),
        Column("unit", "単位", TEXT, required=True, max_length=32),
        Column("direction", "改善の上向き／下向き", CHOICE, required=True, choices=KPI_DIRECTIONS),
        Column("standard", "標準指標", CHOICE, choices=KPI_STANDARDS, extension=True,
               help_ja="すべてのサービスに共通の指標", help_en="The measures every service has"),
        Column("target_year", "目標年度", FISCAL_YEAR, **_FY_HELP),
        Column("target_value", "目標値", DECIMAL, help_ja="目標年度の目標値", help_en="The target in the target year"),
        Column("derived_from", "派生元", CODE_LIST, extension=True,
               help_ja="上位目標の指標コード（派生元 → 派生先）", help_en="Indicator codes of the higher goals"),
        Column("fiscal_year", "年度", FISCAL_YEAR, **_FY_HELP),
        Column("target", "当該年度の目標値", DECIMAL),
        Column("actual", "実績値", DECIMAL, withheld=True,
               help_ja="実績値" + _WITHHELD_HELP_JA, help_en="The year's actual" + _WITHHELD_HELP_EN),
    ),
    key=("kpi_code", "fiscal_year"), public=False,
    help_ja="サービス・プロジェクトの成果指標と年度別の目標値・実績値（RS 3-1に対応。達成率は計算）",
    help_en="Indicators of services and projects with targets and actuals by year (RS 3-1; the achievement rate "
            "is computed)",
)
# Tables Mieruka exports that the interchange importer does not read: each has its own app's importer
# (service_kpis: the outcomes import, which also reads the RS 3-1 layout).
EXPORT_ONLY_TABLES: dict[str, Table] = {t.name: t for t in (SERVICE_KPIS,)}


def any_table(name: str) -> Table:
    """A table of the importer or an export-only one."""
    return TABLES.get(name) or EXPORT_ONLY_TABLES[name]

# --- digital staffing (docs/insights.md#digital-staffing): 内製 / 外部委託 per ministry and year ---------
DIGITAL_STAFFING = Table(
    "digital_staffing", "デジタル人材",
    (
        Column("organization_code", "組織コード", CODE, required=True, max_length=32),
        Column("fiscal_year", "年度", FISCAL_YEAR, required=True),
        Column("internal_fte", "内製人員数", DECIMAL, required=True,
               help_ja="府省の職員（常勤換算、小数可）", help_en="The ministry's own staff, full-time equivalent"),
        Column("external_fte", "外部委託人員数", DECIMAL, required=True,
               help_ja="委託・外部人材（常勤換算、小数可）", help_en="Contractors and external support, FTE"),
        Column("internal_target_fte", "内製目標人員数", DECIMAL,
               help_ja="その年度の内製人員の目標（空欄は目標なし）", help_en="In-house target for the year; blank: none"),
        Column("note", "備考", TEXT),
    ),
    key=("organization_code", "fiscal_year"),
    help_ja="府省ごと・年度ごとのデジタル人材（内製・外部委託）と内製目標",
    help_en="Digital staff per ministry and fiscal year (in-house, external) against the in-house target",
    public=False,
)

# --- security by design (docs/security.md): restricted, never in open data ------------------------------

SECURITY_SEVERITIES = _choices(("critical", "緊急", "Critical"), ("high", "高", "High"), ("medium", "中", "Medium"),
                               ("low", "低", "Low"))
SECURITY_STATUSES = _choices(("open", "未対応", "Open"), ("in_progress", "対応中", "In progress"),
                             ("fixed", "修正済み", "Fixed"), ("accepted", "リスク受容", "Risk accepted"))

SECURITY_FINDINGS = Table(
    "security_findings", "セキュリティ指摘",
    (
        Column("finding_id", "指摘ID", CODE, required=True, max_length=64, public=False,
               help_ja="指摘を一意に識別するID", help_en="Identifies the finding, unique"),
        Column("system_id", "情報システムID", CODE, required=True, max_length=32, public=False),
        Column("title", "指摘内容", TEXT, required=True, max_length=300, public=False),
        Column("severity", "深刻度", CHOICE, required=True, choices=SECURITY_SEVERITIES, public=False),
        Column("found_on", "発見日", DATE, required=True, public=False),
        Column("due_on", "対応期限", DATE, public=False,
               help_ja="空欄なら深刻度ごとの対応期限（SLA）から計算", help_en="Blank: from the severity's SLA"),
        Column("fixed_on", "修正日", DATE, public=False, help_ja="修正済みなら必須", help_en="Required when fixed"),
        Column("status", "対応状況", CHOICE, required=True, choices=SECURITY_STATUSES, public=False),
        Column("acceptance_reason", "リスク受容の理由", TEXT, public=False,
               help_ja="リスク受容なら必須", help_en="Required when the risk is accepted"),
        Column("source", "診断元", TEXT, max_length=200, public=False,
               help_ja="常時診断・脆弱性診断などの出所", help_en="Where it was found (continuous diagnosis, an assessment)"),
        Column("notes", "備考", TEXT, public=False),
    ),
    key=("finding_id",), public=False,
    help_ja="常時診断・対応の指摘（クリアランスのある担当者と当該PJMOのみ。オープンデータには含めない）",
    help_en="Continuous-diagnosis findings (cleared roles and the system's PJMO only; never open data)",
)

TABLES: dict[str, Table] = {t.name: t for t in (
    ORGANIZATIONS, SYSTEMS, BUDGETS, PROJECTS, INTERFACES, CONTRACTS, CLOUD_USAGE, DIGITAL_STAFFING, SECURITY_FINDINGS,
    REVIEWS, FINDINGS, STATUS_REPORTS, BASELINES, PLANS, DECISIONS)}
# Dependency order: a row may refer only to tables before it (or, for organizations, to itself).
TABLE_ORDER = tuple(TABLES)
# The tables of open data (the oversight tables are internal).
PUBLIC_TABLE_ORDER = tuple(name for name in TABLE_ORDER if TABLES[name].public)
OVERSIGHT_TABLES = ("reviews", "findings", "status_reports", "baselines", "plans", "decisions")

# A contracts sheet without a contract number, as the RS 支出先 sheets and IT Dashboard spending data are
# published: the number is derived from the row (validation.py); 経費区分 may be absent (stored blank).
PUBLISHED_SPENDING_REQUIRED = ("title", "vendor_name", "method", "amount_yen", "fiscal_year")
# Their descriptive columns, accepted and not imported.
PUBLISHED_SPENDING_DESCRIPTIVE = ("事業番号", "予算事業ID", "事業名", "府省庁", "局・庁", "支出先ブロック番号",
                                  "支出先ブロック名", "支出先の合計支出額", "費目", "使途")

# The IT Dashboard's published budget layout, accepted as `budgets` (stage `initial`, two rows each).
IT_DASHBOARD_COLUMNS = (
    "system_id", "system_name", "system_class_code", "system_class", "organization_code", "organization", "year",
    "reduction_code", "reduction", "pf_code", "pf", "operating_budget", "development_budget", "sum_budget",
    # The classification columns of the IT Dashboard's full basic-information set, accepted beside the budget.
    "system_field_code", "system_field", "architecture_code", "architecture",
)
IT_DASHBOARD_REQUIRED = ("system_id", "year", "operating_budget", "development_budget")
# The IT Dashboard's basic information of systems (its full basic-information set, no budget): read as
# updates of the systems' classifications. Told from a `systems` file by its `system_name` header.
IT_DASHBOARD_BASIC_COLUMNS = (
    "system_id", "system_name", "system_class_code", "system_class", "organization_code", "organization",
    "system_field_code", "system_field", "architecture_code", "architecture", "reduction_code", "reduction",
    "pf_code", "pf", "year",
)
IT_DASHBOARD_BASIC_REQUIRED = ("system_id", "system_name")

# Sheets the template adds for people, skipped on import.
INSTRUCTION_SHEETS = ("説明", "instructions", "readme", "リスト", "lists")


def normalize_label(text: object) -> str:
    """Header or sheet name folded for matching: NFKC (full-width → half-width), trimmed, lower case."""
    return unicodedata.normalize("NFKC", str(text or "")).strip().lower().lstrip("\ufeff")


def table_for_label(label: str) -> Table | None:
    """A table by its English or Japanese name (file stem or sheet name)."""
    wanted = normalize_label(label)
    for table in (*TABLES.values(), *EXPORT_ONLY_TABLES.values()):
        if wanted in (table.name, normalize_label(table.ja)):
            return table
    return None


def header_index(table: Table) -> dict[str, str]:
    """Normalised English and Japanese header → column name."""
    index = {}
    for column in table.columns:
        index[normalize_label(column.name)] = column.name
        index[normalize_label(column.ja)] = column.name
        for alias in column.aliases:
            index[normalize_label(alias)] = column.name
    return index
