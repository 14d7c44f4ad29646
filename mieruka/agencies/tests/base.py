"""The agencies tests' base: the shared named users, two 独法 under 厚生労働省 and one under 法務省."""

import datetime

from mieruka.core.models import UserRole
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class AgenciesTestCase(PortfolioTestCase):
    today = datetime.date(2026, 6, 1)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        UserRole.objects.filter(user__in=[cls.analyst, cls.reviewer]).update(organization=None)
        cls.pmda = factories.organization(code="IA-PMDA", name_ja="独立行政法人医薬品医療機器総合機構",
                                          name_en="Pharmaceuticals and Medical Devices Agency",
                                          kind="independent_agency", parent=cls.mhlw, order=800_001)
        cls.jps = factories.organization(code="IA-JPS", name_ja="日本年金機構", name_en="Japan Pension Service",
                                         kind="special_corporation", parent=cls.mhlw, order=800_002)
        cls.jcso = factories.organization(code="IA-JCSO", name_ja="日本司法支援センター", kind="independent_agency",
                                          parent=cls.moj, order=800_003)
        cls.lan = factories.system(system_id="IA-001", name_ja="法人内LAN（電子メール・グループウェア）",
                                   organization=cls.pmda, classification="independent_agency")
        cls.review = factories.system(system_id="IA-002", name_ja="審査業務システム", organization=cls.pmda,
                                      classification="independent_agency", hosting="government_cloud")
        cls.pension = factories.system(system_id="IA-003", name_ja="年金記録システム", organization=cls.jps,
                                       classification="independent_agency")
        cls.houterasu = factories.system(system_id="IA-004", name_ja="法テラス業務システム", organization=cls.jcso,
                                         classification="independent_agency")
        cls.ministry_system = factories.system(system_id="MHLW-001", name_ja="厚生労働省共通システム",
                                               organization=cls.mhlw)
        factories.budget_line(system=cls.review, fiscal_year=2024, category="operation", stage="executed",
                              amount_yen=120_000_000)
        factories.budget_line(system=cls.review, fiscal_year=2025, category="operation", stage="initial",
                              amount_yen=130_000_000)
