"""The API's own pages: personal tokens, the OpenAPI schema and the browsable docs, and the JSON 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions as drf_exceptions
from rest_framework import permissions
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from mieruka.core.choices import Role
from mieruka.core.errors import ApplicationError
from mieruka.core.permissions import user_role
from mieruka.organizations.models import Organization

from .choices import WebhookEvent
from .exceptions import Forbidden
from .models import WebhookDelivery, WebhookSubscription
from .selectors import token_list
from .serializers import ModelInputSerializer, OutputSerializer
from .services import token_create, token_revoke
from .throttling import API_VERSION, ApiHeadersMixin
from .viewsets import CreateMixin, DestroyMixin, PortfolioViewSet, UpdateMixin
from .webhooks import webhook_subscription_create, webhook_subscription_delete, webhook_subscription_update

VALIDITY_CHOICES = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("365 days"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or system that uses it."),
    )
    days = forms.TypedChoiceField(label=_("Valid for"), choices=VALIDITY_CHOICES, coerce=int, initial=90)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """A person's own API tokens: create one (its key is shown once, on this response only) or revoke."""
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": token_list(user=request.user),
        },
    )
    # The page may show a key once: keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    token = get_object_or_404(token_list(user=request.user), pk=pk)
    token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of /api/v1/ (signed-in users and tokens only)."""

    permission_classes = [permissions.IsAuthenticated]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the drf-spectacular-sidecar package (no CDN); its start script is a separate
    request so the Content-Security-Policy needs no inline script."""

    permission_classes = [permissions.IsAuthenticated]
    url_name = "api:schema"


class ApiRootView(ApiHeadersMixin, APIView):
    """The endpoints of version 1 of the API, the schema, the docs and the status."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="List the API's endpoints", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        from .urls import router

        endpoints = {prefix: reverse(f"api:{basename}-list", request=request)
                     for prefix, _viewset, basename in router.registry}
        return Response({
            "version": API_VERSION,
            "endpoints": endpoints,
            "status": reverse("api:status", request=request),
            "schema": reverse("api:schema", request=request),
            "docs": reverse("api:docs", request=request),
        })


class StatusView(ApiHeadersMixin, APIView):
    """Whether the API and its database answer, the server's clock and the API version; open to monitors."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="The API's status", responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT})
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            database = "ok"
        except DatabaseError:
            database = "unavailable"
        return Response(
            {"status": "ok" if database == "ok" else "degraded", "version": API_VERSION,
             "database": database, "time": timezone.now().isoformat()},
            status=200 if database == "ok" else 503,
        )


class NotFoundView(ApiHeadersMixin, APIView):
    """Unknown /api/v1/ addresses answer with the JSON error shape instead of an HTML page."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise NotFound()

    post = put = patch = delete = get


# --- webhooks -----------------------------------------------------------------------------------------

class WebhookSubscriptionInputSerializer(ModelInputSerializer):
    record_types = drf_serializers.ListField(
        child=drf_serializers.CharField(max_length=40), allow_empty=False, max_length=50,
        help_text="API record types (list names), e.g. `system`, `project`, `budget-line`.")
    events = drf_serializers.ListField(child=drf_serializers.ChoiceField(choices=WebhookEvent.choices),
                                       allow_empty=False, max_length=3)
    organization = drf_serializers.SlugRelatedField(
        slug_field="code", queryset=Organization.objects.all(), required=False, allow_null=True,
        help_text="Only records of this organization (by code) and those below it.")
    user = drf_serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True), required=False,
        help_text="The owner (by default you, only when creating): deliveries carry only what this user may read.")

    class Meta:
        model = WebhookSubscription
        fields = ["name", "target_url", "record_types", "events", "organization", "user", "active"]


class WebhookSubscriptionOutputSerializer(OutputSerializer):
    organization = drf_serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    user = drf_serializers.CharField(source="user.username", read_only=True,
                                     help_text="The owner: deliveries carry only what this user may read.")
    record_types = drf_serializers.ListField(child=drf_serializers.CharField(), read_only=True)
    events = drf_serializers.ListField(child=drf_serializers.ChoiceField(choices=WebhookEvent.choices),
                                       read_only=True)
    secret = drf_serializers.SerializerMethodField(help_text=(
        "The signing secret: only in the answer to the creation, null afterwards. Keep it safe."))

    class Meta:
        model = WebhookSubscription
        fields = ["id", "name", "user", "target_url", "record_types", "events", "organization", "active",
                  "created", "last_updated", "secret"]

    def get_secret(self, obj) -> str | None:
        return obj.secret if self.context.get("show_secret") else None


class WebhookDeliveryOutputSerializer(drf_serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event", "record_type", "object_id", "attempt", "scheduled_for", "sent_at",
                  "status_code", "succeeded", "error", "payload"]


class WebhookSubscriptionViewSet(CreateMixin, UpdateMixin, DestroyMixin, PortfolioViewSet):
    """Webhook subscriptions and their delivery logs; administrators only. Every change is audited."""

    scope_field = None
    owner = None  # administrators only
    exportable = False
    lookup_value_regex = "[0-9]{1,18}"
    serializer_class = WebhookSubscriptionOutputSerializer
    input_serializer_class = WebhookSubscriptionInputSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if user_role(request.user) != Role.ADMIN:
            raise Forbidden("Webhookを管理できるのは管理者だけです", "Only administrators manage webhooks")

    def get_base_queryset(self):
        return WebhookSubscription.objects.select_related("user", "organization")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_secret": self.action == "create"}

    def perform_create_service(self, *, actor, data, reason):
        data["base_url"] = self.request.build_absolute_uri("/")
        try:
            return webhook_subscription_create(actor=actor, data=data, reason=reason)
        except ApplicationError as exc:
            raise drf_exceptions.ValidationError({"record_types": [exc.message]}) from exc

    def perform_update_service(self, *, actor, instance, data, reason):
        try:
            return webhook_subscription_update(actor=actor, subscription=instance, data=data, reason=reason)
        except ApplicationError as exc:
            raise drf_exceptions.ValidationError({"record_types": [exc.message]}) from exc

    def perform_delete_service(self, *, actor, instance, reason):
        webhook_subscription_delete(actor=actor, subscription=instance, reason=reason)

    @extend_schema(summary="The delivery log of a webhook subscription, newest first",
                   responses={200: WebhookDeliveryOutputSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="deliveries", filter_backends=[])
    def deliveries(self, request, *args, **kwargs):
        subscription = self.get_object()
        page = self.paginate_queryset(subscription.deliveries.all())
        return self.get_paginated_response(WebhookDeliveryOutputSerializer(page, many=True).data)

    def allowed_query_params(self):
        allowed = super().allowed_query_params()
        return allowed | {"limit", "offset"} if self.action == "deliveries" else allowed
