"""Factories of oversight records: one of each kind (review, finding, status report, plan, decision,
campaign with its return) owned by one organization, for tests that compare what each person sees."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from . import factories

_n = itertools.count(1)


def oversight_records(organization) -> dict:
    """{kind: record} for `organization`, written straight to the database (the services have their own
    tests): an important project with a review, a finding, a status report and a stop decision on its
    system; a mid-term plan; an open campaign asking the organization, and its return."""
    from mieruka.monitoring.models import StatusReport
    from mieruka.plans.models import Decision, Initiative, MidTermPlan
    from mieruka.reporting.models import Campaign, Return
    from mieruka.reviews.models import Finding, Review

    n = next(_n)
    system = factories.system(organization=organization)
    project = factories.project(organization=organization, systems=[system], important=True)
    review = Review.objects.create(project=project, fiscal_year=2026, stage="pre_request", state="submitted",
                                   phase=project.phase)
    finding = Finding.objects.create(review=review, project=project, severity="medium", category="cost",
                                     phase=project.phase, text="運用経費の内訳が示されていない")
    ratings = dict.fromkeys(("overall", "schedule", "cost", "scope", "quality", "staffing", "risk"), "green")
    report = StatusReport.objects.create(project=project, period_end=datetime.date(2026, 6, 30),
                                         filed_on=datetime.date(2026, 7, 10), narrative="順調",
                                         forecast_cost_yen=123_456_789, **ratings)
    plan = MidTermPlan.objects.create(organization=organization, code=f"PLAN-{n}", title="中長期計画",
                                      start_year=2026, end_year=2030)
    initiative = Initiative.objects.create(plan=plan, code="I1", title="運用経費削減", base_year=2025,
                                           target_year=2030, target_reduction_pct=Decimal("30"))
    initiative.systems.add(system)
    decision = Decision.objects.create(system=system, kind="stop", rationale="利用が少ない",
                                       decided_on=datetime.date(2026, 6, 1), decided_by="CIO会議",
                                       effective_year=2028)
    campaign = Campaign.objects.create(title=f"報告依頼 {n}", fields=["system.hosting"], status="open",
                                       opened_at=timezone.now(), due_on=datetime.date(2026, 12, 15))
    campaign.organizations.set([organization])
    ret = Return.objects.create(campaign=campaign, organization=organization)
    return {"system": system, "project": project, "reviews": review, "findings": finding,
            "status_reports": report, "plans": plan, "decisions": decision, "campaigns": campaign,
            "returns": ret}
