"""API endpoints of reviews and findings, over the shared viewset.

Who may write is the review workflow's rule, not "editors of the owning subtree": the project's PJMO
opens and submits reviews and answers findings, reviewers examine, raise findings and close them. The
services decide (and refuse with 403 when it is a matter of who asks); the API only lets the roles that
take part in reviews try.
"""

import django_filters
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from mieruka.api.permissions import PortfolioPermission
from mieruka.api.serializers import ErrorSerializer
from mieruka.api.viewsets import (
    BulkChangeMixin,
    CreateMixin,
    PartialUpdateMixin,
    PortfolioViewSet,
    change_reason,
)
from mieruka.core.choices import Role
from mieruka.core.errors import bilingual
from mieruka.core.permissions import user_role

from ..filtersets import FindingFilterSet, ReviewFilterSet
from ..selectors import finding_list, review_list
from ..services import (
    checklist_answer,
    finding_create,
    finding_update,
    review_create,
    review_follow_up,
    review_transition,
)
from .serializers import (
    ChecklistInputSerializer,
    FindingInputSerializer,
    FindingOutputSerializer,
    FindingUpdateSerializer,
    ReviewFollowUpInputSerializer,
    ReviewInputSerializer,
    ReviewOutputSerializer,
    ReviewTransitionInputSerializer,
)

REVIEW_WRITERS = {Role.ADMIN, Role.EDITOR, Role.REVIEWER}


class ReviewWorkflowPermission(PortfolioPermission):
    """Signed-in users read; administrators, PJMO editors and reviewers may attempt writes, which the
    review services then allow or refuse for this record."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or user_role(user) in REVIEW_WRITERS


class ReviewFilterSetForApi(ReviewFilterSet):
    """The review list's filters; `mine` is relative to the person calling, and the fiscal year is a
    number (the page offers the years that have data)."""

    fiscal_year = django_filters.NumberFilter(min_value=1989, max_value=2100)

    def __init__(self, *args, **kwargs):
        request = kwargs.get("request")
        super().__init__(*args, user=getattr(request, "user", None), **kwargs)


class FindingFilterSetForApi(FindingFilterSet):
    """The finding search's filters, the fiscal year (of the review that raised it) as a number."""

    fiscal_year = django_filters.NumberFilter(field_name="review__fiscal_year", min_value=1989, max_value=2100)


ACTION_RESPONSES = {
    200: ReviewOutputSerializer,
    404: OpenApiResponse(ErrorSerializer, description="No such record within what you may see (not_found)"),
}


class ReviewViewSet(CreateMixin, PortfolioViewSet):
    """The three reviews (予算要求前・予算要求時・予算執行段階レビュー) of projects, filtered like the
    reviews page and scoped by the project's organization. A review is opened with POST and then moves
    only through `transition/` (the workflow's table) and `follow-up/`; it is never edited or deleted."""

    scope_field = "project__organization"
    owner = "project.organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = ReviewFilterSetForApi
    serializer_class = ReviewOutputSerializer
    input_serializer_class = ReviewInputSerializer
    permission_classes = [ReviewWorkflowPermission]
    if_match_actions = ("transition", "follow_up")

    def get_base_queryset(self):
        return review_list(user=self.request.user).prefetch_related("checklist")

    def get_input_serializer_class(self):
        return {"transition": ReviewTransitionInputSerializer, "follow_up": ReviewFollowUpInputSerializer,
                "checklist": ChecklistInputSerializer}.get(self.action) or super().get_input_serializer_class()

    def check_write(self, *, instance=None, data=None):
        pass  # the review services decide who may (PermissionRefused: 403)

    def perform_create_service(self, *, actor, data, reason):
        return review_create(actor=actor, **data)

    @extend_schema(summary="Move a review to another state", responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Submit (the project's PJMO), start reviewing, approve, approve with conditions or return (its
        reviewer), as the workflow's transition table allows. Returning needs a reason."""
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = change_reason(request, data)
        with transaction.atomic():
            review = self.locked_object()
            review = review_transition(actor=self.actor(), review=review, to_state=data["to_state"], reason=reason)
        return self.respond(review)

    @extend_schema(summary="Answer checklist questions of a review", responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def checklist(self, request, pk=None):
        """Record answers (and notes) by question code, as the review page does: the project's PJMO while
        the review is a draft or returned, its reviewers while it is submitted or in review. The answers
        are the checklist's, not the review's, so If-Match is not needed; the review's ETag stays."""
        review = self.get_object()
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = {item.code: item.pk for item in review.checklist.all()}
        answers, unknown = {}, []
        for entry in serializer.validated_data["answers"]:
            if entry["code"] not in items:
                unknown.append(entry["code"])
            answers[items.get(entry["code"])] = (entry["answer"], entry["note"])
        if unknown:
            raise ValidationError({"answers": [bilingual(
                "このレビューのチェック項目ではありません: " + ", ".join(unknown[:10]),
                "Not a question of this review's checklist: " + ", ".join(unknown[:10]))]})
        checklist_answer(actor=self.actor(), review=review, answers=answers)
        return self.respond(review)

    @extend_schema(summary="Hand a review to the monitoring working group", responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, pk=None):
        """Escalation (raised to the monitoring working group) or support (a reviewer helps the PJMO); the
        assigned reviewer decides, with a reason."""
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = change_reason(request, data, required=True)
        with transaction.atomic():
            review = self.locked_object()
            review = review_follow_up(actor=self.actor(), review=review, mode=data["mode"], reason=reason,
                                      support_reviewer=data.get("support_reviewer"))
        return self.respond(review)


class FindingViewSet(BulkChangeMixin, CreateMixin, PartialUpdateMixin, PortfolioViewSet):
    """Findings (指摘事項) and conditions of approval, searched like the finding search page and scoped by
    the project's organization. Reviewers raise them (POST) while a review is examined; PATCH follows one
    up: the PJMO answers and marks progress, reviewers close, withdraw, reassign or reschedule it. Findings
    are not deleted: a mistaken one is withdrawn. `PATCH bulk/` follows several up at once, each with its
    `id` and `etag`."""

    scope_field = "project__organization"
    owner = "project.organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = FindingFilterSetForApi
    serializer_class = FindingOutputSerializer
    input_serializer_class = FindingInputSerializer
    update_serializer_class = FindingUpdateSerializer
    permission_classes = [ReviewWorkflowPermission]

    def get_base_queryset(self):
        # A review names itself by its project (its `display`).
        return finding_list(user=self.request.user).select_related("review__project").prefetch_related(
            "carried_into__project")

    def check_write(self, *, instance=None, data=None):
        pass  # the review services decide who may (PermissionRefused: 403)

    def perform_create_service(self, *, actor, data, reason):
        return finding_create(actor=actor, **data)

    def perform_update_service(self, *, actor, instance, data, reason):
        return finding_update(actor=actor, finding=instance, reason=reason, **data)

