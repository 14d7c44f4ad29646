"""The reporting tests' base: the shared named users with their roles, and a small portfolio to ask about."""

import datetime

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class ReportingTestCase(PortfolioTestCase):
    today = datetime.date(2026, 6, 1)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user, role, org in (
            (cls.pjmo, "editor", cls.mhlw), (cls.pjmo_other, "editor", cls.moj), (cls.viewer, "viewer", cls.mhlw),
            (cls.analyst, "analyst", None), (cls.reviewer, "reviewer", None),
        ):
            UserRole.objects.update_or_create(user=user, defaults={"role": role, "organization": org})
        cls.gov_cloud = factories.platform(code="GOV_CLOUD", name_ja="ガバメントクラウド")
        cls.gima = factories.platform(code="GIMA", name_ja="GIMA")
        cls.pension = factories.system(system_id="MHLW-001", name_ja="年金記録管理システム", organization=cls.mhlw,
                                       hosting="on_premises", annual_users=1_000_000, platforms=[cls.gima])
        cls.health = factories.system(system_id="MHLW-002", name_ja="健康情報システム", organization=cls.mhlw_bureau,
                                      hosting="government_cloud", annual_users=None)
        cls.registry = factories.system(system_id="MOJ-001", name_ja="登記システム", organization=cls.moj)
        cls.project = factories.project(project_id="P-MHLW-1", name_ja="年金刷新", systems=[cls.pension],
                                        pjmo_staff="3.00", pjmo_external="1.50", kpi_actual="80%")
        factories.budget_line(system=cls.pension, fiscal_year=2025, category="operation", stage="executed",
                              amount_yen=500_000_000)
        factories.budget_line(system=cls.pension, fiscal_year=2025, category="operation", stage="initial",
                              amount_yen=520_000_000)

    def make_campaign(self, *, fields=None, organizations=None, title="2025年度 基本情報の確認", open_it=True,
                      fiscal_year=2025, due_on=None):
        from mieruka.reporting import services

        campaign = services.campaign_create(
            actor=self.actor(), title=title, fields=fields or ["system.hosting", "system.annual_users"],
            organizations=organizations or [self.mhlw], due_on=due_on or self.today + datetime.timedelta(days=30),
            fiscal_year=fiscal_year,
        )
        if open_it:
            campaign = services.campaign_open(actor=self.actor(), campaign=campaign)
        return campaign
