"""API endpoints of reporting campaigns and their returns, over the shared viewset.

Campaigns are drafted, opened and closed by Digital Agency administrators; a return is answered and
submitted by its organization's editors and accepted or sent back by administrators, each step through
the reporting services and their transition tables.
"""

from django.db import transaction
from django.db.models import Count, Q
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from mieruka.api.exceptions import Forbidden
from mieruka.api.serializers import ErrorSerializer
from mieruka.api.viewsets import CreateMixin, PortfolioViewSet, change_reason
from mieruka.core.errors import bilingual
from mieruka.core.permissions import is_administrator

from ..choices import ItemState
from ..models import Return
from ..selectors import campaign_list
from ..services import (
    campaign_close,
    campaign_create,
    campaign_open,
    can_edit_return,
    return_accept,
    return_confirm_unchanged,
    return_save,
    return_send_back,
    return_submit,
)
from .filtersets import CampaignFilterSet, ReturnFilterSet
from .serializers import (
    CampaignInputSerializer,
    CampaignOutputSerializer,
    ReturnItemSerializer,
    ReturnOutputSerializer,
    ReturnSaveInputSerializer,
    ReturnSendBackInputSerializer,
)


def _not_found(serializer):
    return {200: serializer, 404: OpenApiResponse(
        ErrorSerializer, description="No such record within what you may see (not_found)")}


def _require_administrator(user) -> None:
    if not is_administrator(user):
        raise Forbidden("デジタル庁の管理者のみが行えます", "Only Digital Agency administrators may do this")


class CampaignViewSet(CreateMixin, PortfolioViewSet):
    """Reporting campaigns (報告依頼). Administrators see every campaign; others see the open and closed
    ones, ministries only those that ask them. Administrators draft one with POST and open or close it
    (`open/` creates each organization's pre-filled return). Campaigns are not edited or deleted here."""

    scope_field = None  # campaign_list(user=…) decides: drafts for administrators, others what asks them
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = CampaignFilterSet
    serializer_class = CampaignOutputSerializer
    input_serializer_class = CampaignInputSerializer
    if_match_actions = ("open", "close")

    def get_base_queryset(self):
        return campaign_list(user=self.request.user).prefetch_related("organizations").select_related("created_by")

    def check_write(self, *, instance=None, data=None):
        _require_administrator(self.request.user)

    def perform_create_service(self, *, actor, data, reason):
        return campaign_create(actor=actor, **data)

    def _status_action(self, service):
        self.get_object()  # 404 outside what the caller sees, before 403
        self.check_write()
        with transaction.atomic():
            campaign = service(actor=self.actor(), campaign=self.locked_object())
        return self.respond(campaign)

    @extend_schema(summary="Open a campaign", request=None, responses=_not_found(CampaignOutputSerializer))
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open a draft: one return per organization, pre-filled with what Mieruka holds now."""
        return self._status_action(campaign_open)

    @extend_schema(summary="Close a campaign", request=None, responses=_not_found(CampaignOutputSerializer))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open campaign: no more answers."""
        return self._status_action(campaign_close)


class ReturnViewSet(PortfolioViewSet):
    """Returns (回答): one organization's answer to a campaign, scoped by that organization. Its editors
    answer (`answers/`) and submit it (`submit/`); administrators accept it (`accept/`, applying its
    changes to the records) or send it back (`send-back/`, with a reason). `items/` lists its fields."""

    scope_field = "organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = ReturnFilterSet
    serializer_class = ReturnOutputSerializer
    if_match_actions = ("submit", "accept", "send_back")

    def get_base_queryset(self):
        qs = Return.objects.select_related("campaign", "organization", "submitted_by", "decided_by").annotate(
            **{f"items_{state}": Count("items", filter=Q(items__state=state)) for state in ItemState.values})
        # A draft campaign has no returns, but keep its answers out of sight should one appear.
        return qs if is_administrator(self.request.user) else qs.exclude(campaign__status="draft")

    def get_input_serializer_class(self):
        return {"answers": ReturnSaveInputSerializer, "send_back": ReturnSendBackInputSerializer}.get(self.action)

    def allowed_query_params(self):
        allowed = super().allowed_query_params()
        return allowed | {"limit", "offset", "state"} if self.action == "items" else allowed

    def _editable(self, ret) -> None:
        if not can_edit_return(self.request.user, ret):
            raise Forbidden("この回答を編集する権限がありません", "You may not edit this return")

    @extend_schema(summary="List the fields of a return", responses=ReturnItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def items(self, request, pk=None):
        """The return's items (one field of one record each), paginated; `state` = pending, confirmed or
        changed."""
        ret = self.get_object()
        qs = ret.items.order_by("pk")
        state = request.query_params.get("state")
        if state:
            if state not in ItemState.values:
                raise ValidationError({"state": [bilingual(
                    "state には " + ", ".join(ItemState.values) + " のいずれかを指定してください",
                    "state must be one of " + ", ".join(ItemState.values))]})
            qs = qs.filter(state=state)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ReturnItemSerializer(page, many=True).data)

    @extend_schema(summary="Answer a return", responses=_not_found(ReturnOutputSerializer))
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        """Save changed values and confirm items unchanged, all or nothing, while the return is open to
        its organization's editors (as the return page does)."""
        ret = self.get_object()
        self._editable(ret)
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        actor = self.actor()
        try:
            with transaction.atomic():
                answers = {a["item"]: a["value"] for a in data.get("answers", [])}
                return_save(actor=actor, ret=ret, answers=answers, confirm_item_ids=data.get("confirm", []))
                if data.get("confirm_all"):
                    return_confirm_unchanged(actor=actor, ret=ret)
        except (TypeError, ValueError) as exc:  # a value of a shape the field cannot take (as the page)
            raise ValidationError({"answers": [bilingual("回答の形式が項目に合いません",
                                                         f"An answer does not fit its field ({exc})")]}) from exc
        return self.respond(ret)

    @extend_schema(summary="Submit a return", request=None, responses=_not_found(ReturnOutputSerializer))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Hand the return to the Digital Agency; every field must be confirmed or changed first."""
        ret = self.get_object()
        self._editable(ret)
        with transaction.atomic():
            ret = return_submit(actor=self.actor(), ret=self.locked_object())
        return self.respond(ret)

    @extend_schema(summary="Accept a return", request=None, responses=_not_found(ReturnOutputSerializer))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted return (administrators): its changes are applied to the records, audited."""
        self.get_object()
        _require_administrator(request.user)
        with transaction.atomic():
            return_accept(actor=self.actor(), ret=self.locked_object())
        return self.respond(self.get_object())

    @extend_schema(summary="Send a return back", responses=_not_found(ReturnOutputSerializer))
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Send a submitted return back to its organization with a reason (administrators)."""
        self.get_object()
        _require_administrator(request.user)
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = change_reason(request, dict(serializer.validated_data), required=True)
        with transaction.atomic():
            ret = return_send_back(actor=self.actor(), ret=self.locked_object(), reason=reason)
        return self.respond(ret)
