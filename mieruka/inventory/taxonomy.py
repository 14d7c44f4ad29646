"""The business-function taxonomy (業務機能分類): functions that many ministries run on their own.

Plain module (no ORM). `FUNCTIONS` is the master list the `BusinessFunction` table is loaded from (data
migration) and the controlled vocabulary systems are tagged with. `suggest_functions` proposes tags from a
system's name, purpose and free-text functions when it is registered; a person confirms them.

Keywords are matched on NFKC-folded, lower-cased text. A keyword found in the name counts twice (the name
says what the system is; the purpose also says what it touches), and a function is suggested when its
keywords reach `SUGGEST_MIN_SCORE`: one strong keyword (weight 2) or two weak ones (weight 1).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SUGGEST_MIN_SCORE = 2
SUGGEST_MAX = 3


@dataclass(frozen=True)
class FunctionSpec:
    """One entry of the master list: a stable code, names and the keywords that suggest it."""

    code: str
    name_ja: str
    name_en: str
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()


FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        "document",
        "文書管理・電子決裁",
        "Document management and e-approval",
        (
            "文書管理",
            "電子決裁",
            "決裁",
            "公文書",
            "行政文書",
            "起案",
            "回議",
            "文書ファイル",
            "ワークフロー",
            "workflow",
            "e-approval",
        ),
        ("文書", "document", "簿冊"),
    ),
    FunctionSpec(
        "payroll",
        "人事給与",
        "Personnel and payroll",
        ("人事給与", "給与計算", "俸給", "人事記録", "年末調整", "payroll", "諸手当", "手当支給"),
        ("人事", "給与", "手当", "賞与", "職員情報", "hr", "personnel", "発令"),
    ),
    FunctionSpec(
        "accounting",
        "会計",
        "Accounting",
        ("会計事務", "財務会計", "官庁会計", "経理", "予算執行", "支出負担行為", "accounting"),
        ("会計", "支出", "支払", "歳入", "歳出", "決算", "旅費", "expenditure", "予算"),
    ),
    FunctionSpec(
        "supplies",
        "物品管理",
        "Supplies and asset management",
        ("物品管理", "備品", "消耗品", "棚卸", "物品出納", "物品供用", "asset inventory"),
        ("物品", "資産", "在庫", "出納", "asset", "inventory"),
    ),
    FunctionSpec(
        "e_application",
        "電子申請",
        "Online applications and notifications",
        ("電子申請", "オンライン申請", "許認可", "届出", "e-application", "共通申請"),
        ("申請", "許可", "手続", "online application"),
    ),
    FunctionSpec(
        "grants",
        "補助金等申請受付",
        "Grant and subsidy applications",
        ("補助金", "交付金", "助成金", "補助事業", "交付申請", "subsidy", "grant"),
        ("助成", "交付決定", "研究費", "公募"),
    ),
    FunctionSpec(
        "survey",
        "統計調査・調査集計",
        "Statistical surveys and tabulation",
        ("統計調査", "調査票", "調査集計", "アンケート", "実態調査", "survey", "questionnaire"),
        ("集計", "回答", "調査", "回収"),
    ),
    FunctionSpec(
        "facilities",
        "施設管理",
        "Facility management",
        ("庁舎管理", "庁舎", "会議室", "入退館", "施設予約", "施設保全", "facility", "booking"),
        ("施設", "予約", "設備保守", "保全", "光熱水"),
    ),
    FunctionSpec(
        "training",
        "研修",
        "Staff training",
        ("研修", "eラーニング", "e-learning", "教育訓練", "training"),
        ("受講", "教材", "修了", "learning", "教育課程"),
    ),
    FunctionSpec(
        "inquiry",
        "相談受付",
        "Inquiries and consultations",
        ("相談受付", "相談", "問い合わせ", "問合せ", "苦情", "コールセンター", "contact center", "crm"),
        ("意見", "要望", "faq", "対応記録", "対応履歴"),
    ),
    FunctionSpec(
        "website",
        "ウェブサイト・情報発信",
        "Websites and publishing",
        ("ウェブサイト", "ホームページ", "情報発信", "ポータルサイト", "cms", "website"),
        ("広報", "web", "報道発表", "報道資料", "掲載"),
    ),
    FunctionSpec(
        "groupware",
        "情報共有・グループウェア",
        "Groupware and collaboration",
        ("グループウェア", "掲示板", "予定表", "スケジュール", "情報共有", "groupware", "collaboration"),
        ("メール", "チャット", "ファイル共有", "teams", "outlook", "電子会議室"),
    ),
    FunctionSpec(
        "network",
        "庁内ネットワーク・端末",
        "Office network and devices",
        ("lan", "業務端末", "庁内ネットワーク", "省内ネットワーク", "通信回線", "office network"),
        ("ネットワーク", "端末", "パソコン", "pc", "network", "回線"),
    ),
    FunctionSpec(
        "procurement",
        "調達・契約",
        "Procurement and contracts",
        ("調達", "入札", "契約事務", "procurement"),
        ("契約", "仕様書", "contract", "委託"),
    ),
    FunctionSpec(
        "diet",
        "国会対応",
        "Diet affairs",
        ("国会", "答弁", "質問通告"),
        ("diet",),
    ),
)

BY_CODE = {f.code: f for f in FUNCTIONS}

# Latin keywords must match whole words ("pc" is not inside "epc"); Japanese ones match anywhere.
_LATIN = re.compile(r"^[a-z0-9][a-z0-9 .\-]*$")
_LATIN_KEYWORDS = sorted(
    {k for f in FUNCTIONS for k in (*f.strong, *f.weak) if _LATIN.match(k)}, key=lambda k: (-len(k), k)
)
_LATIN_FINDER = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in _LATIN_KEYWORDS) + r")(?![a-z0-9])"
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _latin_words(text: str) -> set[str]:
    """The Latin keywords present in the text as whole words (one regex pass, not one per keyword)."""
    found = set()
    for match in _LATIN_FINDER.finditer(text):
        found.add(match.group(0))
    return found


# Per function: (keyword, is Latin, weight), worked out once rather than for every text.
_KEYWORDS = tuple(
    (spec.code, tuple((k, bool(_LATIN.match(k)), w) for w, ks in ((2, spec.strong), (1, spec.weak)) for k in ks))
    for spec in FUNCTIONS
)


def function_scores(*, name: str, purpose: str = "", functions: tuple[str, ...] | list[str] = ()) -> dict[str, int]:
    """Keyword score of every function the text touches (name counts twice, free-text functions once)."""
    name_text = _fold(name)
    other_text = _fold(" ".join([purpose or "", *functions]))
    name_latin, other_latin = _latin_words(name_text), _latin_words(other_text)
    scores: dict[str, int] = {}
    for code, keywords in _KEYWORDS:
        score = 0
        for keyword, latin, weight in keywords:
            if keyword in (name_latin if latin else name_text):
                score += 2 * weight
            elif keyword in (other_latin if latin else other_text):
                score += weight
        if score:
            scores[code] = score
    return scores


def suggest_functions(
    *, name: str, purpose: str = "", functions: tuple[str, ...] | list[str] = ()
) -> list[str]:
    """Codes of the functions the text suggests, strongest first (at most `SUGGEST_MAX`)."""
    scores = function_scores(name=name, purpose=purpose, functions=functions)
    if not scores:
        return []
    # A function far weaker than the strongest is a side mention (「補助金の申請」 is a grant, not a permit).
    floor = max(SUGGEST_MIN_SCORE, max(scores.values()) / 2)
    ranked = sorted((c for c, s in scores.items() if s >= floor), key=lambda c: (-scores[c], c))
    return ranked[:SUGGEST_MAX]
