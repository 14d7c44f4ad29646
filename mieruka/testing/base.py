"""The shared base test case: a small portfolio and named users, one per role.

Tests read as sentences about these people: the Digital Agency admin, an analyst, a reviewer, the PJMO editor of
the Ministry of Health (own ministry) and of the Ministry of Justice (another ministry), a viewer of the
Ministry of Health, and an anonymous visitor. Roles are `core.UserRole` rows.
"""

from django.contrib.auth import get_user_model
from django.test import TestCase

from mieruka.core.audit import Actor
from mieruka.core.models import UserRole

from . import factories


class PortfolioTestCase(TestCase):
    password = "correct horse battery staple"

    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.digital_agency = factories.organization(code="DA", name_ja="デジタル庁", name_en="Digital Agency",
                                                    kind="digital_agency", order=1)
        cls.mhlw = factories.organization(code="MHLW", name_ja="厚生労働省",
                                          name_en="Ministry of Health, Labour and Welfare", order=20)
        cls.mhlw_bureau = factories.organization(code="MHLW-HEALTH", name_ja="健康・生活衛生局",
                                                 name_en="Health Bureau", kind="bureau", parent=cls.mhlw, order=None)
        cls.moj = factories.organization(code="MOJ", name_ja="法務省", name_en="Ministry of Justice", order=12)
        cls.admin = User.objects.create_superuser("admin", "admin@example.go.jp", cls.password)
        cls.analyst = User.objects.create_user("analyst", "analyst@example.go.jp", cls.password)
        cls.reviewer = User.objects.create_user("reviewer", "reviewer@example.go.jp", cls.password)
        cls.pjmo = User.objects.create_user("pjmo_mhlw", "pjmo@mhlw.example.go.jp", cls.password)
        cls.pjmo_other = User.objects.create_user("pjmo_moj", "pjmo@moj.example.go.jp", cls.password)
        cls.viewer = User.objects.create_user("viewer", "viewer@example.go.jp", cls.password)
        # The admin is a superuser (administrator by definition); everyone else gets a role row.
        for user, role, org, clearance in [
            (cls.analyst, "analyst", cls.digital_agency, True),
            (cls.reviewer, "reviewer", cls.digital_agency, True),
            (cls.pjmo, "editor", cls.mhlw, False),
            (cls.pjmo_other, "editor", cls.moj, False),
            (cls.viewer, "viewer", cls.mhlw, False),
        ]:
            UserRole.objects.create(user=user, role=role, organization=org, clearance=clearance)

    def login(self, user=None):
        self.client.force_login(user or self.analyst)

    def actor(self, user=None, source="web") -> Actor:
        user = user or self.admin
        return Actor(user=user, name=user.get_username(), source=source)
