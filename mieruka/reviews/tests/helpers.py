"""The oversight test base: the shared named users given their roles, and a project of each ministry."""

import datetime

from django.contrib.auth import get_user_model

from mieruka.core.models import UserRole
from mieruka.reviews.models import Finding, Review
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

TODAY = datetime.date(2026, 11, 27)


class OversightTestCase(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        cls.reviewer_other = User.objects.create_user("reviewer2", "reviewer2@example.go.jp", cls.password)
        for user, role, org in (
            (cls.analyst, "analyst", None), (cls.reviewer, "reviewer", None), (cls.reviewer_other, "reviewer", None),
            (cls.pjmo, "editor", cls.mhlw), (cls.pjmo_other, "editor", cls.moj), (cls.viewer, "viewer", cls.mhlw),
        ):
            UserRole.objects.update_or_create(user=user, defaults={"role": role, "organization": org})
        cls.system = factories.system(organization=cls.mhlw_bureau, name_ja="健康保険資格確認システム",
                                      purpose="医療機関での健康保険の資格をオンラインで確認する",
                                      functions=["資格確認", "申請受付"])
        cls.project = factories.project(systems=[cls.system], organization=cls.mhlw_bureau, phase="development",
                                        name_ja="資格確認刷新プロジェクト", important=True)
        cls.moj_system = factories.system(organization=cls.moj, name_ja="登記情報システム", functions=["登記"])
        cls.moj_project = factories.project(systems=[cls.moj_system], organization=cls.moj, phase="operation")

    def fresh(self, obj):
        return type(obj).objects.get(pk=obj.pk)


def make_review(project, *, fiscal_year=2026, stage="pre_request", state="draft", reviewer=None, **kwargs) -> Review:
    """A review written straight to the database (tests of the workflow go through the services)."""
    return Review.objects.create(project=project, fiscal_year=fiscal_year, stage=stage, state=state,
                                 phase=project.phase, reviewer=reviewer, **kwargs)


def make_finding(review, **kwargs) -> Finding:
    defaults = {"project": review.project, "kind": "finding", "severity": "medium", "category": "cost",
                "phase": review.phase, "text": "運用経費の内訳が示されていない", "status": "open"}
    defaults.update(kwargs)
    if defaults["status"] in ("closed", "withdrawn") and "closed_on" not in defaults:
        defaults["closed_on"] = TODAY
    return Finding.objects.create(review=review, **defaults)
