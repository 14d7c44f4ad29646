"""Open findings and conditions carry forward into the project's later reviews, across fiscal years."""

from mieruka.reviews import services

from .helpers import OversightTestCase, make_finding, make_review


class CarryForwardTest(OversightTestCase):
    def open_review(self, fiscal_year, stage):
        return services.review_create(actor=self.actor(self.reviewer), project=self.project,
                                      fiscal_year=fiscal_year, stage=stage)

    def test_open_findings_and_conditions_are_carried_into_the_next_review_also_in_the_next_year(self):
        first = make_review(self.project, fiscal_year=2025, stage="execution", state="approved_with_conditions")
        finding = make_finding(first, text="調達の競争性が不足")
        condition = make_finding(first, kind="condition", text="移行計画を次回までに提出すること")
        later = self.open_review(2026, "pre_request")
        self.assertEqual(set(later.carried_findings.all()), {finding, condition})
        even_later = self.open_review(2026, "request")
        self.assertEqual(set(even_later.carried_findings.all()), {finding, condition})

    def test_closed_findings_are_not_carried_further(self):
        first = make_review(self.project, fiscal_year=2025, stage="request", state="approved")
        finding = make_finding(first)
        second = self.open_review(2025, "execution")
        self.assertIn(finding, second.carried_findings.all())
        second.state = "in_review"
        second.reviewer = self.reviewer
        second.save()
        services.finding_update(actor=self.actor(self.reviewer), finding=finding, status="closed",
                                response="内訳を提示した")
        third = self.open_review(2026, "pre_request")
        self.assertNotIn(finding, third.carried_findings.all())
        # The earlier review still shows that the item was carried into it while open.
        self.assertIn(finding, second.carried_findings.all())

    def test_findings_are_not_carried_backwards_or_into_other_projects(self):
        later = make_review(self.project, fiscal_year=2026, stage="request", state="in_review", reviewer=self.reviewer)
        make_finding(later)
        earlier = self.open_review(2026, "pre_request")
        self.assertEqual(list(earlier.carried_findings.all()), [])
        other = services.review_create(actor=self.actor(self.reviewer), project=self.moj_project, fiscal_year=2027,
                                       stage="request")
        self.assertEqual(list(other.carried_findings.all()), [])

    def test_a_finding_raised_late_reaches_reviews_already_opened_and_carrying_is_idempotent(self):
        first = make_review(self.project, fiscal_year=2025, stage="execution", state="in_review", reviewer=self.reviewer)
        second = self.open_review(2026, "pre_request")
        finding = services.finding_create(actor=self.actor(self.reviewer), review=first, severity="high",
                                          category="schedule", text="工程遅延のリスク")
        self.assertIn(finding, second.carried_findings.all())
        self.assertEqual(services.findings_carry_forward(actor=self.actor(), project=self.project), 0)
