"""Every transition of the review workflow, allowed and refused."""

from mieruka.core.errors import ApplicationError
from mieruka.core.models import Notification, ObjectChange
from mieruka.reviews import services
from mieruka.reviews.choices import ReviewState
from mieruka.reviews.models import ReviewTransition

from .helpers import OversightTestCase, make_finding, make_review

S = ReviewState


class AllowedTransitionsTest(OversightTestCase):
    def move(self, review, to_state, user, reason=""):
        return services.review_transition(actor=self.actor(user), review=review, to_state=to_state, reason=reason)

    def test_the_pjmo_submits_a_draft_and_the_reviewers_are_told(self):
        review = make_review(self.project)
        self.move(review, S.SUBMITTED, self.pjmo)
        review = self.fresh(review)
        self.assertEqual(review.state, S.SUBMITTED)
        self.assertIsNotNone(review.submitted_on)
        self.assertTrue(Notification.objects.filter(recipient=self.reviewer, kind="review_waiting").exists())
        self.assertTrue(ReviewTransition.objects.filter(review=review, from_state="draft", to_state="submitted").exists())
        self.assertTrue(ObjectChange.objects.filter(changed_object_id=review.pk, action="update",
                                                    postchange_data__state="submitted").exists())

    def test_the_pjmo_resubmits_a_returned_review(self):
        review = make_review(self.project, state=S.RETURNED, reviewer=self.reviewer)
        self.move(review, S.SUBMITTED, self.pjmo)
        self.assertEqual(self.fresh(review).state, S.SUBMITTED)

    def test_a_reviewer_takes_an_unassigned_submission_into_review(self):
        review = make_review(self.project, state=S.SUBMITTED)
        self.move(review, S.IN_REVIEW, self.reviewer)
        review = self.fresh(review)
        self.assertEqual((review.state, review.reviewer), (S.IN_REVIEW, self.reviewer))

    def test_a_reviewer_returns_a_submission_with_a_reason(self):
        review = make_review(self.project, state=S.SUBMITTED, reviewer=self.reviewer)
        self.move(review, S.RETURNED, self.reviewer, reason="KPIの定義が不足")
        self.assertEqual(self.fresh(review).state, S.RETURNED)
        self.assertTrue(Notification.objects.filter(recipient=self.pjmo, kind="review_decided").exists())

    def test_the_assigned_reviewer_approves(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        self.move(review, S.APPROVED, self.reviewer)
        review = self.fresh(review)
        self.assertEqual(review.state, S.APPROVED)
        self.assertIsNotNone(review.decided_on)

    def test_the_assigned_reviewer_approves_with_conditions_when_a_condition_is_open(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        make_finding(review, kind="condition")
        self.move(review, S.APPROVED_WITH_CONDITIONS, self.reviewer, reason="条件付きで承認")
        self.assertEqual(self.fresh(review).state, S.APPROVED_WITH_CONDITIONS)

    def test_the_assigned_reviewer_returns_a_review_in_progress(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        self.move(review, S.RETURNED, self.reviewer, reason="見積根拠が不足")
        self.assertEqual(self.fresh(review).state, S.RETURNED)

    def test_an_administrator_may_act_for_either_side(self):
        review = make_review(self.project)
        self.move(review, S.SUBMITTED, self.admin)
        self.move(review, S.IN_REVIEW, self.admin)
        self.move(review, S.APPROVED, self.admin)
        self.assertEqual(self.fresh(review).state, S.APPROVED)

    def test_the_buttons_offered_are_exactly_the_allowed_moves(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        self.assertEqual(services.allowed_transitions(user=self.reviewer, review=review), [S.APPROVED, S.RETURNED])
        self.assertEqual(services.allowed_transitions(user=self.pjmo, review=review), [])


class RefusedTransitionsTest(OversightTestCase):
    def assertRefused(self, review, to_state, user, reason="理由", contains=""):
        with self.assertRaises(ApplicationError) as ctx:
            services.review_transition(actor=self.actor(user), review=review, to_state=to_state, reason=reason)
        # Refusals are bilingual: Japanese, then English.
        self.assertRegex(ctx.exception.message_ja, r"[ぁ-んァ-ン一-龥]")
        self.assertTrue(ctx.exception.message_en)
        self.assertIn(contains, str(ctx.exception))
        return ctx.exception

    def test_it_refuses_every_move_not_in_the_table(self):
        n = 0
        for source in S.values:
            for target in S.values:
                if (source, target) in services.TRANSITIONS:
                    continue
                n += 1
                with self.subTest(source=source, target=target):
                    review = make_review(self.project, fiscal_year=2000 + n,
                                         stage="execution", state=source, reviewer=self.reviewer)
                    self.assertRefused(review, target, self.admin, contains="cannot move")
                    self.assertEqual(self.fresh(review).state, source)

    def test_it_refuses_a_submission_by_another_ministrys_pjmo(self):
        self.assertRefused(make_review(self.project), S.SUBMITTED, self.pjmo_other, contains="PJMO")

    def test_it_refuses_a_submission_by_a_reviewer_viewer_or_analyst(self):
        review = make_review(self.project)
        for user in (self.reviewer, self.viewer, self.analyst):
            with self.subTest(user=user.username):
                self.assertRefused(review, S.SUBMITTED, user)

    def test_it_refuses_a_resubmission_by_another_ministrys_pjmo(self):
        self.assertRefused(make_review(self.project, state=S.RETURNED), S.SUBMITTED, self.pjmo_other)

    def test_it_refuses_review_decisions_by_the_pjmo(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        for target in (S.APPROVED, S.RETURNED):
            with self.subTest(target=target):
                self.assertRefused(review, target, self.pjmo, contains="reviewers")

    def test_it_refuses_a_reviewer_who_is_not_assigned(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        self.assertRefused(review, S.APPROVED, self.reviewer_other, contains="another reviewer")
        submitted = make_review(self.project, stage="request", state=S.SUBMITTED, reviewer=self.reviewer)
        self.assertRefused(submitted, S.IN_REVIEW, self.reviewer_other, contains="another reviewer")

    def test_it_refuses_an_analyst_starting_a_review(self):
        self.assertRefused(make_review(self.project, state=S.SUBMITTED), S.IN_REVIEW, self.analyst,
                           contains="Only reviewers")

    def test_it_refuses_to_return_without_a_reason(self):
        for state in (S.SUBMITTED, S.IN_REVIEW):
            with self.subTest(state=state):
                review = make_review(self.project, stage="request" if state == S.SUBMITTED else "execution",
                                     state=state, reviewer=self.reviewer)
                self.assertRefused(review, S.RETURNED, self.reviewer, reason="  ", contains="reason")

    def test_it_refuses_approval_with_conditions_without_an_open_condition(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        make_finding(review, kind="condition", status="closed", response="対応済み")
        self.assertRefused(review, S.APPROVED_WITH_CONDITIONS, self.reviewer, contains="condition")

    def test_it_refuses_plain_approval_while_a_condition_is_open(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        make_finding(review, kind="condition")
        self.assertRefused(review, S.APPROVED, self.reviewer, contains="open conditions")

    def test_a_refused_move_writes_nothing_and_notifies_nobody(self):
        review = make_review(self.project)
        before = (ObjectChange.objects.count(), Notification.objects.count(), ReviewTransition.objects.count())
        self.assertRefused(review, S.SUBMITTED, self.pjmo_other)
        self.assertEqual(before, (ObjectChange.objects.count(), Notification.objects.count(),
                                  ReviewTransition.objects.count()))


class FollowUpTest(OversightTestCase):
    def test_the_assigned_reviewer_escalates_to_the_monitoring_group(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        services.review_follow_up(actor=self.actor(self.reviewer), review=review, mode="escalation",
                                  reason="スケジュール遅延が重大")
        self.assertEqual(self.fresh(review).follow_up, "escalation")
        self.assertTrue(Notification.objects.filter(recipient=self.analyst, kind="review_escalated").exists())

    def test_support_assigns_a_reviewer_to_help_the_pjmo(self):
        review = make_review(self.project, state=S.APPROVED_WITH_CONDITIONS, reviewer=self.reviewer)
        services.review_follow_up(actor=self.actor(self.reviewer), review=review, mode="support",
                                  reason="要件定義の支援", support_reviewer=self.reviewer_other)
        review = self.fresh(review)
        self.assertEqual((review.follow_up, review.support_reviewer), ("support", self.reviewer_other))
        self.assertTrue(Notification.objects.filter(recipient=self.pjmo, kind="review_support").exists())

    def test_it_refuses_support_without_a_reviewer_and_follow_up_by_others_or_too_early(self):
        review = make_review(self.project, state=S.IN_REVIEW, reviewer=self.reviewer)
        cases = [
            (self.reviewer, review, "support", None, "supporting reviewer"),
            (self.reviewer, review, "support", self.pjmo, "supporting reviewer"),
            (self.pjmo, review, "escalation", None, "assigned reviewer"),
            (self.reviewer_other, review, "escalation", None, "assigned reviewer"),
            (self.reviewer, make_review(self.project, stage="request", reviewer=self.reviewer), "escalation", None,
             "Follow-up applies"),
        ]
        for user, r, mode, helper, message in cases:
            with self.subTest(user=user.username, mode=mode, state=r.state):
                with self.assertRaisesMessage(ApplicationError, message):
                    services.review_follow_up(actor=self.actor(user), review=r, mode=mode, reason="理由",
                                              support_reviewer=helper)
        with self.assertRaisesMessage(ApplicationError, "needs a reason"):
            services.review_follow_up(actor=self.actor(self.reviewer), review=review, mode="escalation", reason="")


class ReviewCreateTest(OversightTestCase):
    def test_opening_a_review_copies_the_checklist_of_the_project_phase(self):
        review = services.review_create(actor=self.actor(self.pjmo), project=self.project, fiscal_year=2026,
                                        stage="pre_request")
        self.assertEqual(review.phase, "development")
        self.assertEqual([i.code for i in review.checklist.all()][:2], ["DV-1", "DV-2"])

    def test_it_refuses_a_second_review_of_the_same_stage_and_year(self):
        services.review_create(actor=self.actor(self.reviewer), project=self.project, fiscal_year=2026, stage="request")
        with self.assertRaisesMessage(ApplicationError, "already has"):
            services.review_create(actor=self.actor(self.reviewer), project=self.project, fiscal_year=2026,
                                   stage="request")

    def test_it_refuses_another_ministrys_pjmo_opening_a_review(self):
        with self.assertRaisesMessage(ApplicationError, "may not open"):
            services.review_create(actor=self.actor(self.pjmo_other), project=self.project, fiscal_year=2026,
                                   stage="request")
