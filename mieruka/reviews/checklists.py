"""Review checklists by project phase (工程), drawn from the Digital Agency's project-oversight guidance.

Plain data: a review copies the items of its project's phase when it is created, so later edits to this
catalogue never rewrite what an earlier review asked.
"""

from __future__ import annotations

# phase → [(code, Japanese, English)]
CHECKLISTS: dict[str, list[tuple[str, str, str]]] = {
    "planning": [
        ("PL-1", "政策目的と解決すべき課題が明文化され、関係者で共有されている",
         "The policy purpose and the problem to solve are written down and shared"),
        ("PL-2", "利用者（国民・事業者・職員）のニーズを調査し、サービスデザインに反映している",
         "Users' needs have been researched and reflected in the service design"),
        ("PL-3", "成果指標（KPI）と目標値、測定方法が定められている",
         "Outcome indicators (KPI), targets and how to measure them are set"),
        ("PL-4", "業務改革（BPR）の範囲と既存業務の見直し方針が示されている",
         "The scope of business process reform and the plan for existing work are shown"),
        ("PL-5", "類似システム・共通基盤（ガバメントクラウド、GSS、gBizID等）の活用を検討した",
         "Similar systems and shared platforms (government cloud, GSS, gBizID, …) were considered"),
        ("PL-6", "PJMOの体制（職員・外部人材）が規模に見合っている",
         "PJMO staffing (internal and external) matches the size of the project"),
    ],
    "requirements": [
        ("RQ-1", "業務要件と機能要件が利用者の業務フローに基づいて定義されている",
         "Business and functional requirements are based on users' workflows"),
        ("RQ-2", "非機能要件（可用性・性能・セキュリティ）が根拠をもって定められている",
         "Non-functional requirements (availability, performance, security) are justified"),
        ("RQ-3", "データ項目がベースレジストリ・データ標準と整合している",
         "Data items are consistent with base registries and data standards"),
        ("RQ-4", "他システムとの連携（API・ファイル）が整理されている",
         "Interfaces with other systems (API, file) are listed"),
        ("RQ-5", "ライフサイクルコストの見積りと根拠が示されている",
         "A life-cycle cost estimate and its basis are shown"),
    ],
    "procurement": [
        ("PR-1", "調達仕様書が特定事業者に依存しない記述になっている",
         "The specification does not depend on a particular vendor"),
        ("PR-2", "分割調達・競争性確保（複数応札）の方策が検討されている",
         "Splitting the procurement and ensuring competition (several bidders) were considered"),
        ("PR-3", "予定価格の積算根拠が妥当である",
         "The basis of the estimated price is sound"),
        ("PR-4", "知的財産権・データの帰属と移行条件が定められている",
         "Ownership of IP and data, and exit/migration terms, are set"),
        ("PR-5", "クラウドサービスの選定基準（ISMAP等）を満たしている",
         "Cloud services meet the selection criteria (ISMAP, …)"),
    ],
    "development": [
        ("DV-1", "スケジュール・コストがベースラインに対して管理されている",
         "Schedule and cost are managed against the baseline"),
        ("DV-2", "リスク・課題の管理簿が更新され、対応責任者が明確である",
         "Risk and issue logs are kept current with named owners"),
        ("DV-3", "利用者テスト・受入れ基準が定められている",
         "User testing and acceptance criteria are defined"),
        ("DV-4", "セキュリティ設計（ゼロトラスト、脆弱性診断）が実施されている",
         "Security design (zero trust, vulnerability testing) is done"),
        ("DV-5", "移行計画とデータ移行の検証方法が定められている",
         "The transition plan and data-migration checks are defined"),
    ],
    "operation": [
        ("OP-1", "運用等経費の内訳と削減の余地が分析されている",
         "Operating costs are broken down and the room for savings analysed"),
        ("OP-2", "成果指標（KPI）の実績を測定し、改善につなげている",
         "KPI actuals are measured and used to improve"),
        ("OP-3", "利用率・利用者数が想定を下回る場合の見直し基準がある",
         "There is a criterion for review when use falls short of plan"),
        ("OP-4", "ガバメントクラウドへの移行またはその検討が行われている",
         "Migration to the government cloud is done or being considered"),
        ("OP-5", "予算の執行状況（執行率・繰越・不用）を把握している",
         "Budget execution (rate, carry-over, unused) is tracked"),
    ],
    "review": [
        ("RV-1", "システムの継続・縮小・統合・廃止の判断基準が示されている",
         "Criteria to continue, scale down, merge or stop the system are shown"),
        ("RV-2", "費用対効果（利用1件当たりコスト等）が評価されている",
         "Cost-effectiveness (e.g. cost per use) is evaluated"),
        ("RV-3", "類似システムとの統合・共通化の可能性が検討されている",
         "Merging with or sharing similar systems has been considered"),
        ("RV-4", "廃止・移行時のデータ保存と利用者への周知の計画がある",
         "There is a plan for data retention and informing users on retirement"),
    ],
}


def checklist_for_phase(phase: str) -> list[tuple[str, str, str]]:
    """The checklist of a phase; an unknown phase falls back to the planning list, the broadest one."""
    return CHECKLISTS.get(phase) or CHECKLISTS["planning"]
