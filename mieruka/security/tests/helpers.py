"""A small portfolio with security records in two ministries, for the security tests."""

import datetime

from mieruka.core.models import UserRole
from mieruka.security.models import Assessment, SecurityFinding, ZeroTrustCheck
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

AS_OF = datetime.date(2026, 9, 30)
# Words that appear only in findings, so a page that shows one is caught by searching its body.
MHLW_TITLE = "厚労省の秘匿指摘ZQX"
MOJ_TITLE = "法務省の秘匿指摘KWY"


class SecurityTestCase(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from django.contrib.auth import get_user_model

        User = get_user_model()
        cls.mhlw_system = factories.system(system_id="S00001", organization=cls.mhlw_bureau, name_ja="年金業務システム")
        cls.moj_system = factories.system(system_id="S00002", organization=cls.moj, name_ja="登記情報システム")
        # An analyst without clearance, and a viewer of MHLW given clearance: neither may read findings.
        cls.uncleared = User.objects.create_user("analyst_nc", "nc@example.go.jp", cls.password)
        UserRole.objects.create(user=cls.uncleared, role="analyst", organization=cls.digital_agency, clearance=False)
        cls.cleared_viewer = User.objects.create_user("viewer_c", "vc@example.go.jp", cls.password)
        UserRole.objects.create(user=cls.cleared_viewer, role="viewer", organization=cls.mhlw, clearance=True)
        cls.mhlw_finding = SecurityFinding.objects.create(
            finding_id="SEC-1", system=cls.mhlw_system, title=MHLW_TITLE, severity="high",
            found_on=datetime.date(2026, 6, 1), due_on=datetime.date(2026, 7, 1), status="open")
        cls.moj_finding = SecurityFinding.objects.create(
            finding_id="SEC-2", system=cls.moj_system, title=MOJ_TITLE, severity="critical",
            found_on=datetime.date(2026, 9, 1), due_on=datetime.date(2026, 9, 8), status="in_progress")
        SecurityFinding.objects.create(
            finding_id="SEC-3", system=cls.mhlw_system, title="修正済みの指摘", severity="low",
            found_on=datetime.date(2026, 1, 1), due_on=datetime.date(2026, 6, 30), status="fixed",
            fixed_on=datetime.date(2026, 2, 1))
        Assessment.objects.create(system=cls.mhlw_system, kind="penetration_test", assessed_on=AS_OF,
                                  result="failed", assessor="第三者", notes="秘匿診断結果ZQX")
        ZeroTrustCheck.objects.create(system=cls.mhlw_system, item="id_mfa", state="done")
