"""A small portfolio for the insights page tests, built with the shared factories."""

from decimal import Decimal

from mieruka.testing import factories


def build(case) -> None:
    """Systems of three ministries, budgets for FY2024–2025, interfaces, platforms and projects.

    Sets attributes on `case` (a PortfolioTestCase class) so tests can name what they look at.
    """
    f = factories
    case.gima = f.platform(code="GIMA", name_ja="GIMA")
    case.gbizid = f.platform(code="GBIZID", name_ja="gBizID")
    case.subsidy_mhlw = f.system(
        system_id="MHLW-001",
        name_ja="補助金申請受付システム",
        organization=case.mhlw_bureau,
        purpose="事業者からの補助金の申請を電子的に受け付け審査する",
        functions=["申請受付", "審査"],
        users=["businesses"],
        platforms=[case.gbizid],
        hosting="government_cloud",
        important=True,
    )
    case.subsidy_moj = f.system(
        system_id="MOJ-001",
        name_ja="補助金電子申請システム",
        organization=case.moj,
        purpose="補助金に関する事業者の電子申請の受付と審査を行う",
        functions=["申請受付"],
        users=["businesses"],
        platforms=[case.gbizid],
    )
    case.subsidy_mhlw_twin = f.system(
        system_id="MHLW-002",
        name_ja="補助金申請受付システム",
        organization=case.mhlw,
        purpose="補助金の申請受付",
    )
    case.payroll = f.system(
        system_id="DA-001",
        name_ja="人事給与システム",
        organization=case.digital_agency,
        purpose="職員の人事及び給与の計算を行う",
        functions=["人事給与"],
        users=["staff"],
        platforms=[case.gima],
        hosting="government_cloud",
    )
    case.registry = f.system(
        system_id="MOJ-002",
        name_ja="登記情報システム",
        organization=case.moj,
        purpose="不動産と商業の登記を管理する",
        platforms=[case.gima],
    )
    # MOJ-001 calls MHLW-001; DA-001 calls MOJ-001: both depend on MHLW-001, DA-001 through MOJ-001.
    f.interface(from_system=case.subsidy_moj, to_system=case.subsidy_mhlw, kind="api")
    f.interface(from_system=case.payroll, to_system=case.subsidy_moj, kind="data")
    for system, op_2025, dev_2025 in (
        (case.subsidy_mhlw, 300_000_000, 50_000_000),
        (case.subsidy_moj, 120_000_000, 0),
        (case.payroll, 2_000_000_000, 400_000_000),
        (case.registry, 80_000_000, 0),
    ):
        f.budget_line(
            system=system, fiscal_year=2025, category="operation", stage="initial", amount_yen=op_2025
        )
        f.budget_line(
            system=system, fiscal_year=2025, category="operation", stage="executed", amount_yen=op_2025 // 2
        )
        f.budget_line(
            system=system, fiscal_year=2024, category="operation", stage="initial", amount_yen=op_2025 // 4
        )
        if dev_2025:
            f.budget_line(
                system=system, fiscal_year=2025, category="development", stage="initial", amount_yen=dev_2025
            )
    f.budget_line(
        system=case.payroll, fiscal_year=2025, category="operation", stage="request", amount_yen=2_400_000_000
    )
    case.thin_project = f.project(
        project_id="P-DA-1",
        name_ja="人事給与運用",
        systems=[case.payroll],
        pjmo_staff=Decimal("1.0"),
        pjmo_external=Decimal("0.5"),
    )
    case.staffed_project = f.project(
        project_id="P-MHLW-1",
        name_ja="補助金システム運用",
        systems=[case.subsidy_mhlw],
        pjmo_staff=Decimal("4"),
        pjmo_external=Decimal("4"),
    )
    case.moj_project = f.project(
        project_id="P-MOJ-1",
        name_ja="補助金電子申請運用",
        systems=[case.subsidy_moj],
        pjmo_staff=Decimal("3"),
        pjmo_external=Decimal("2"),
    )
