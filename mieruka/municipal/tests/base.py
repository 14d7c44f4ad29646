"""A small municipal world: two prefectures, three municipalities (official codes) and their PJMOs."""

import datetime

from mieruka.core.models import UserRole
from mieruka.municipal.models import BusinessArea, MunicipalMigration
from mieruka.municipal.services import municipalities_load
from mieruka.testing.base import PortfolioTestCase

TOKYO, CHIYODA, SHINJUKU = "130001", "131016", "131041"
OSAKA_PREF, OSAKA_CITY = "270008", "271004"


class MunicipalTestCase(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from django.contrib.auth import get_user_model

        from mieruka.organizations.models import Organization

        municipalities_load(actor=cls.actor_of_operator(), only={CHIYODA, SHINJUKU, OSAKA_CITY})
        orgs = {o.local_government_code: o for o in Organization.objects.filter(kind="local_government")}
        cls.tokyo, cls.chiyoda, cls.shinjuku = orgs[TOKYO], orgs[CHIYODA], orgs[SHINJUKU]
        cls.osaka_pref, cls.osaka = orgs[OSAKA_PREF], orgs[OSAKA_CITY]
        cls.juki = BusinessArea.objects.get(code="juki")
        cls.koseki = BusinessArea.objects.get(code="koseki")
        User = get_user_model()
        cls.pjmo_chiyoda = User.objects.create_user("pjmo_chiyoda", "p@chiyoda.example.jp", cls.password)
        UserRole.objects.create(user=cls.pjmo_chiyoda, role="editor", organization=cls.chiyoda)
        cls.pjmo_tokyo = User.objects.create_user("pjmo_tokyo", "p@tokyo.example.jp", cls.password)
        UserRole.objects.create(user=cls.pjmo_tokyo, role="editor", organization=cls.tokyo)
        cls.records = {}
        past, future = datetime.date(2025, 3, 31), datetime.date(2099, 3, 31)
        for org, area, status, target in [
            (cls.chiyoda, cls.juki, "completed", past), (cls.chiyoda, cls.koseki, "migrating", past),
            (cls.shinjuku, cls.juki, "migrating", future), (cls.shinjuku, cls.koseki, "completed", past),
            (cls.osaka, cls.juki, "planning", past), (cls.osaka, cls.koseki, "not_started", future),
        ]:
            cls.records[(org.local_government_code, area.code)] = MunicipalMigration.objects.create(
                organization=org, business_area=area, status=status, target_on=target,
                completed_on=target if status == "completed" else None, baseline_cost_yen=10_000_000,
                current_cost_yen=7_000_000)

    @classmethod
    def actor_of_operator(cls):
        from mieruka.core.audit import Actor

        return Actor(user=None, name="cli:test", source="cli")
