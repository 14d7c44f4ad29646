"""The generic API view, written once: every endpoint of every app is a declaration over it.

A `PortfolioViewSet` subclass names its records (`get_base_queryset`), where their organization is for
read scope (`scope_field`) and for write permission (`owner`), its FilterSet, its output and input
serializers, and — for writable records — the three services to call. Everything else is here: scope,
pagination, the permission checks, ETag/If-Match, the change reason, the audit actor and the responses.
See docs/api.md, "How to add an endpoint".
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mieruka.core.audit import Actor
from mieruka.core.choices import ChangeSource
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.permissions import scope_queryset

from .etag import check_if_match, etag_for
from .exporting import ExportMixin
from .filters import FilterBackend, SyncFilterBackend
from .permissions import require_editable, restricted_fields
from .serializers import OutputSerializer, natural_key_field, record_url
from .throttling import ApiHeadersMixin

_EXT_VALUE = re.compile(r"(?i)^utf-8'[a-z0-9-]*'(?P<value>.*)$")


def decode_reason_header(header: str) -> str:
    """X-Change-Reason is UTF-8, percent-encoded, optionally in RFC 8187 form (`UTF-8''%E5%B9%B4…`,
    `UTF-8'ja'…`): HTTP headers carry only ASCII, so Japanese cannot be sent as it is."""
    header = header.strip()
    match = _EXT_VALUE.match(header)
    if match:
        header = match.group("value")
    try:
        return unquote(header, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise exceptions.ValidationError({"X-Change-Reason": [bilingual(
            "X-Change-Reason はUTF-8をパーセントエンコードして送ってください",
            "Send X-Change-Reason as UTF-8, percent-encoded",
        )]}) from None


def change_reason(request, data: dict | None = None, *, required: bool = False) -> str:
    """The reason of a change: the `reason` field if given, else the X-Change-Reason header.

    As on the pages, changing or deleting a record needs a reason (400 without one); registering a new
    record does not.
    """
    reason = data.pop("reason", "") if data is not None else ""
    if not isinstance(reason, str):
        reason = ""
    if not reason.strip():
        reason = decode_reason_header(request.headers.get("X-Change-Reason", "") or "")
    reason = reason.strip()[:2000]
    if required and not reason:
        raise exceptions.ValidationError({"reason": [bilingual(
            "変更・削除の理由を reason 欄または X-Change-Reason ヘッダー（UTF-8をパーセントエンコード）で"
            "指定してください",
            "Give the reason for the change or deletion in the reason field or the X-Change-Reason header "
            "(UTF-8, percent-encoded)",
        )]})
    return reason


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class PortfolioViewSet(ApiHeadersMixin, ExportMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Read (list with filters and a total count, retrieve with an ETag) within the user's scope.

    Subclasses declare:
      get_base_queryset()   the app selector's queryset (select/prefetch done there)
      scope_field           lookup to the organization for read scope ("organization",
                            "system__organization", "pk" for organizations; None = everyone reads all)
      filterset_class       the same FilterSet the HTML list uses
      serializer_class      the output serializer
    and, to accept writes, `input_serializer_class` (and `update_serializer_class` if an update accepts
    different fields), `owner` (dotted path from the record to the organization whose editors may change
    it, e.g. "system.organization"; None = administrators only) and the three service calls below.
    """

    scope_field: str | None = "organization"
    owner: str | None = "organization"
    # Query parameters a subclass accepts beyond its filters, pagination and the representation ones.
    extra_query_params: tuple[str, ...] = ()
    input_serializer_class = None
    update_serializer_class = None
    lookup_value_regex = "[^/]+"
    filter_backends = [FilterBackend, SyncFilterBackend]

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses NUL characters in text, even in a lookup; catch them here once, as bad input,
        # rather than in every serializer, filter and URL lookup.
        if _has_nul([kwargs, dict(request.query_params.lists()), request.data]):
            raise exceptions.ValidationError(
                {
                    "non_field_errors": [
                        bilingual("NUL文字（\\0）は使えません", "NUL characters (\\0) are not allowed")
                    ]
                }
            )
        self.check_query_params(request)

    def allowed_query_params(self) -> set[str]:
        """The query parameters this request may carry: a list's filters and pagination, `format`; an
        export takes the list's filters and `fields`."""
        allowed = {"format", *self.extra_query_params}
        if self.action in ("list", "retrieve") and issubclass(self.get_serializer_class(), OutputSerializer):
            allowed |= {"brief", "fields"}
        if self.action == "export":
            allowed |= {"fields"}
        if self.action in ("list", "export"):
            if self.action == "list":
                allowed |= {"limit", "offset"}
            if getattr(self, "filterset_class", None) is not None:
                allowed |= set(self.filterset_class.base_filters)
            for backend in self.filter_backends:
                if hasattr(backend, "query_params"):
                    allowed |= set(backend().query_params(self))
        return allowed

    def check_query_params(self, request) -> None:
        """An unknown query parameter is an error (400 naming it), never silently ignored: a misspelt
        filter would otherwise return the whole list as if it had matched."""
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            message = bilingual(
                "このパラメーターは使えません。使えるもの: " + ", ".join(sorted(allowed)),
                "Unknown parameter; accepted here: " + ", ".join(sorted(allowed)),
            )
            raise exceptions.ValidationError({name[:100]: [message] for name in unknown[:20]})

    def get_queryset(self) -> QuerySet:
        queryset = self.get_base_queryset()
        if self.scope_field is not None:
            queryset = scope_queryset(self.request.user, queryset, organization_field=self.scope_field)
        return queryset

    def get_object(self):
        # Scope only: list filters (and their defaults, such as a sort) do not apply to one record.
        lookup = self.lookup_url_kwarg or self.lookup_field
        instance = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, instance)
        return instance

    # -- writes: subclasses call their app's services here ------------------------------------------
    def perform_create_service(self, *, actor: Actor, data: dict, reason: str):
        raise NotImplementedError

    def perform_update_service(self, *, actor: Actor, instance, data: dict, reason: str):
        raise NotImplementedError

    def perform_delete_service(self, *, actor: Actor, instance, reason: str) -> None:
        raise NotImplementedError

    # -- the machinery ----------------------------------------------------------------------------------
    def get_input_serializer_class(self):
        if self.action in ("update", "partial_update", "bulk_partial_update") and self.update_serializer_class:
            return self.update_serializer_class
        return self.input_serializer_class

    def get_input_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.get_input_serializer_class()(*args, **kwargs)

    def actor(self) -> Actor:
        return Actor.from_request(self.request, source=ChangeSource.API)

    def owner_organization_id(self, *, instance=None, data: dict | None = None) -> int | None:
        """The organization that owns the record (or would, with `data` applied)."""
        if self.owner is None:
            return None
        first, *rest = self.owner.split(".")
        if data is not None and first in data:
            obj = data[first]
        else:
            obj = getattr(instance, first, None) if instance is not None else None
        for part in rest:
            obj = getattr(obj, part, None) if obj is not None else None
        return obj.pk if obj is not None else None

    def check_write(self, *, instance=None, data: dict | None = None) -> None:
        """Refuse (403) a write this person may not make. By default: editors of the owning subtree and
        administrators; a viewset whose rule differs (reviewers raise findings) overrides it, or leaves the
        decision to its services, which refuse with `PermissionRefused` (403)."""
        require_editable(self.request.user, self.owner_organization_id(instance=instance, data=data))

    def respond(self, instance, *, status_code=status.HTTP_200_OK) -> Response:
        # Read back through the scoped queryset, so the answer carries the same annotations as a GET.
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        headers = {"ETag": etag_for(fresh)}
        return Response(self.get_serializer(fresh).data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    # Detail actions (`POST <record>/<action>/`) that change the record, and so need its ETag in If-Match
    # as a change does; the schema declares If-Match, 412 and 428 on them.
    if_match_actions: tuple[str, ...] = ()

    def locked_object(self):
        """The record of a changing detail action: scope (404), then If-Match (428/412) under a row lock.
        Call it inside `transaction.atomic()`."""
        instance = self.get_object()
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        check_if_match(self.request, locked)
        return locked


class CreateMixin:
    """POST: validate the input, check the owner organization is editable, call the create service."""

    def create(self, request, *args, **kwargs):
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = change_reason(request, data)
        self.check_write(data=data)
        instance = self.perform_create_service(actor=self.actor(), data=data, reason=reason)
        return self.respond(instance, status_code=status.HTTP_201_CREATED)


class PartialUpdateMixin:
    """PATCH: scope (404), permission (403), If-Match (428/412), validation (400), then the service."""

    def _change(self, request, *args, partial: bool = False, **kwargs):
        instance = self.get_object()
        self.check_write(instance=instance)
        with transaction.atomic():
            # Lock the row so the If-Match comparison and the write see the same version.
            locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            check_if_match(request, locked)
            serializer = self.get_input_serializer(instance=locked, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            if partial and not {key for key in data if key != "reason"}:
                # An empty PATCH changes nothing: no write, no change-log row, the same ETag.
                return self.respond(locked)
            reason = change_reason(request, data, required=True)
            self.check_write(instance=locked, data=data)
            updated = self.perform_update_service(
                actor=self.actor(), instance=locked, data=data, reason=reason
            )
        return self.respond(updated)

    def partial_update(self, request, *args, **kwargs):
        return self._change(request, *args, partial=True, **kwargs)


class UpdateMixin(PartialUpdateMixin):
    """PUT and PATCH (PUT replaces every writable field)."""

    def update(self, request, *args, partial: bool = False, **kwargs):
        return self._change(request, *args, partial=partial, **kwargs)


class DestroyMixin:
    """DELETE: scope (404), permission (403), If-Match (428/412), then the delete service."""

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        self.check_write(instance=instance)
        body = dict(request.data) if isinstance(request.data, dict) else {}
        with transaction.atomic():
            locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
            check_if_match(request, locked)
            self.perform_delete_service(
                actor=self.actor(), instance=locked, reason=change_reason(request, body, required=True)
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AsOfMixin:
    """`GET <record>/as-of/?date=YYYY-MM-DD`: the record as it stood at the end of that day, rebuilt from the
    change log (the same selectors as the page "as it stood on"), with the records listed in
    `as_of_related` (name → model pointing at it, e.g. budget lines) as they stood then too."""

    as_of_related: dict = {}

    @extend_schema(
        summary="The record as it stood on a date",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True,
                                     description="The day whose end to show (Japan time).")],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="as-of")
    def as_of(self, request, *args, **kwargs):
        from django.utils.dateparse import parse_date

        from mieruka.core.selectors import object_state_as_of, related_states_as_of

        instance = self.get_object()
        raw = request.query_params.get("date", "")
        try:
            when = parse_date(raw)
        except ValueError:
            when = None
        if when is None:
            raise exceptions.ValidationError({"date": [bilingual(
                "日付（例: 2025-04-01）を指定してください", "Give a date (e.g. 2025-04-01)")]})
        model = type(instance)
        state = object_state_as_of(model=model, pk=instance.pk, when=when)
        if state is None:
            raise exceptions.NotFound(bilingual(
                "この日にはまだ登録されていません", "The record did not exist (or was not recorded) on that day"))
        hidden = restricted_fields(model, request.user)
        related = {
            name: [dict(id=pk, **{k: v for k, v in st.items() if k not in restricted_fields(rel, request.user)})
                   for pk, st in sorted(related_states_as_of(instance=instance, model=rel, when=when).items())]
            for name, rel in self.as_of_related.items()
        }
        return Response({
            "as_of": when.isoformat(),
            "id": instance.pk,
            "url": record_url(instance, request),
            "record": {k: v for k, v in state.items() if k not in hidden},
            "codes": reference_codes(model, state),
            **related,
        })

    def allowed_query_params(self):
        allowed = super().allowed_query_params()
        return allowed | {"date"} if self.action == "as_of" else allowed


def reference_codes(model, state: dict) -> dict:
    """The records a snapshot refers to by ID, by their codes (organization code, platform codes, …)."""
    out = {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        key = natural_key_field(field.related_model) if field.is_relation and field.related_model else None
        if key is None or field.name not in state:
            continue
        value = state[field.name]
        ids = value if isinstance(value, list) else [value]
        found = dict(field.related_model._default_manager.filter(pk__in=[i for i in ids if i is not None])
                     .values_list("pk", key))
        codes = [found.get(i) for i in ids]
        out[field.name] = codes if isinstance(value, list) else codes[0]
    return out


BULK_MAX = 500


class BulkWrites:
    """`<list>/bulk/` with a JSON array (at most BULK_MAX records): each record checked and written as a
    single one would be, all in one transaction — the first refusal undoes the rest — and recorded in the
    change log under the request's one batch ID. Changes and deletions name each record by its key and
    carry its own `etag`. `BulkMixin` offers POST, PATCH and DELETE; `BulkCreateMixin` and
    `BulkChangeMixin` one of them, for records whose other writes the API does not offer."""

    bulk_methods: tuple[str, ...] = ()

    @property
    def bulk_key(self) -> str:
        return "id" if self.lookup_field in ("pk", "id") else self.lookup_field

    def _bulk(self, request, handler, status_code):
        if request.method.lower() not in self.bulk_methods:
            raise exceptions.MethodNotAllowed(request.method)
        items = request.data
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
            raise exceptions.ValidationError({"non_field_errors": [bilingual(
                "レコード（オブジェクト）の配列を1件以上送ってください",
                "Send a JSON array of one or more records (objects)")]})
        if len(items) > BULK_MAX:
            raise exceptions.ValidationError({"non_field_errors": [bilingual(
                f"一度に送れるのは{BULK_MAX}件までです（{len(items)}件）",
                f"At most {BULK_MAX} records at once ({len(items)} sent)")]})
        written = []
        with transaction.atomic():
            for index, item in enumerate(items):
                try:
                    written.append(handler(request, dict(item)))
                except exceptions.ValidationError as exc:
                    raise exceptions.ValidationError({str(index): exc.detail}) from exc
                except ApplicationError as exc:  # a service's refusal, named by the record too
                    raise type(exc)(f"{index}番目: {exc.message_ja}", f"Record {index}: {exc.message_en}",
                                    extra=exc.extra) from exc
                except exceptions.APIException as exc:
                    if hasattr(exc, "message_ja"):
                        raise type(exc)(f"{index}番目: {exc.message_ja}", f"Record {index}: {exc.message_en}") from exc
                    raise
        if status_code == status.HTTP_204_NO_CONTENT:
            return Response(status=status_code)
        fresh = {r.pk: r for r in self.get_queryset().filter(pk__in=[w.pk for w in written])}
        records = [fresh.get(w.pk, w) for w in written]
        return Response([{"etag": etag_for(r), "record": self.get_serializer(r).data} for r in records],
                        status=status_code)

    def _bulk_instance(self, item):
        value = item.pop(self.bulk_key, None)
        if value in (None, ""):
            raise exceptions.ValidationError({self.bulk_key: [bilingual(
                "対象レコードのキーを指定してください", "Give the key of the record to change")]})
        instance = get_object_or_404(self.get_queryset(), **{self.lookup_field: value})
        self.check_write(instance=instance)
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        etag = item.pop("etag", None)
        check_if_match(self.request, locked, header=etag if isinstance(etag, str) else "")
        return locked

    def _bulk_create_one(self, request, item):
        serializer = self.get_input_serializer(data=item)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        reason = change_reason(request, data)
        self.check_write(data=data)
        return self.perform_create_service(actor=self.actor(), data=data, reason=reason)

    def _bulk_update_one(self, request, item):
        locked = self._bulk_instance(item)
        serializer = self.get_input_serializer(instance=locked, data=item, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if not {key for key in data if key != "reason"}:
            return locked
        reason = change_reason(request, data, required=True)
        self.check_write(instance=locked, data=data)
        return self.perform_update_service(actor=self.actor(), instance=locked, data=data, reason=reason)

    def _bulk_delete_one(self, request, item):
        locked = self._bulk_instance(item)
        self.perform_delete_service(actor=self.actor(), instance=locked,
                                    reason=change_reason(request, item, required=True))
        return locked


_CREATE_SUMMARY = "Create several records at once (all or nothing)"
_CHANGE_SUMMARY = "Change several records at once, each with its ETag (all or nothing)"


class BulkMixin(BulkWrites):
    """`POST`, `PATCH` and `DELETE` on `<list>/bulk/`."""

    bulk_methods = ("post", "patch", "delete")

    @extend_schema(summary=_CREATE_SUMMARY)
    @action(detail=False, methods=["post"], url_path="bulk", pagination_class=None, filter_backends=[])
    def bulk(self, request, *args, **kwargs):
        return self._bulk(request, self._bulk_create_one, status.HTTP_201_CREATED)

    @extend_schema(summary=_CHANGE_SUMMARY)
    @bulk.mapping.patch
    def bulk_partial_update(self, request, *args, **kwargs):
        return self._bulk(request, self._bulk_update_one, status.HTTP_200_OK)

    @extend_schema(summary="Delete several records at once, each with its ETag (all or nothing)",
                   responses={204: None})
    @bulk.mapping.delete
    def bulk_destroy(self, request, *args, **kwargs):
        return self._bulk(request, self._bulk_delete_one, status.HTTP_204_NO_CONTENT)


class BulkCreateMixin(BulkWrites):
    """`POST` on `<list>/bulk/` only."""

    bulk_methods = ("post",)

    @extend_schema(summary=_CREATE_SUMMARY)
    @action(detail=False, methods=["post"], url_path="bulk", pagination_class=None, filter_backends=[])
    def bulk(self, request, *args, **kwargs):
        return self._bulk(request, self._bulk_create_one, status.HTTP_201_CREATED)


class BulkChangeMixin(BulkWrites):
    """`PATCH` on `<list>/bulk/` only."""

    bulk_methods = ("patch",)

    @extend_schema(summary=_CHANGE_SUMMARY)
    @action(detail=False, methods=["patch"], url_path="bulk", url_name="bulk", pagination_class=None,
            filter_backends=[])
    def bulk_partial_update(self, request, *args, **kwargs):
        return self._bulk(request, self._bulk_update_one, status.HTTP_200_OK)


class WritableViewSet(BulkMixin, CreateMixin, UpdateMixin, DestroyMixin, PortfolioViewSet):
    """A `PortfolioViewSet` that also creates, updates and deletes (through the app's services)."""


class CreateDeleteViewSet(CreateMixin, DestroyMixin, PortfolioViewSet):
    """For records that are added and removed but never edited in place (interfaces)."""
