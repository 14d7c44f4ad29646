"""OpenAPI: the schema class of every view, the token scheme, and post-processing. Imported by ApiConfig.ready() so the extension
registers before any schema is generated."""

import importlib
from functools import cache

from django.apps import apps
from django.db import models
from django.utils import translation
from django_filters import filters as filter_types
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import get_override, has_override
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from mieruka.core.permissions import RESTRICTED_FIELDS

from .serializers import ErrorSerializer, OutputSerializer


def _is_portfolio_view(view) -> bool:
    """Only views built on mieruka.api.viewsets.PortfolioViewSet get If-Match/ETag documentation."""
    return hasattr(view, "get_input_serializer_class")


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema (as HTTP bearer; `Token` works the same)."""

    target_class = "mieruka.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from /api/tokens/ or `mieruka token create`; "
            "send `Authorization: Bearer <key>` (or `Token <key>`).",
        }


class PortfolioFilterExtension(DjangoFilterExtension):
    """django-filter parameters typed as the server takes them.

    * A select whose choices are computed (organizations by code) is a string; django-filter's own
      guess follows the model field behind the filter (an integer ID) which the server never accepts.
    * Fixed choices are listed in the order they are declared — the domain's order — not sorted.
    """

    target_class = "django_filters.rest_framework.DjangoFilterBackend"
    match_subclasses = True
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        params = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        if not isinstance(filter_field, filter_types.ChoiceFilter | filter_types.MultipleChoiceFilter):
            return params
        if has_override(filter_field, "field") and get_override(filter_field, "field"):
            return params
        choices = filter_field.extra.get("choices")
        for param in params:
            schema = param["schema"]
            target = schema.get("items", schema)
            if callable(choices):
                target.clear()
                target["type"] = "string"
            elif choices:
                target["enum"] = [value for value, _ in choices]
        return params


@cache
def _choice_classes() -> dict[frozenset, type]:
    """Every choice class of Mieruka's apps (`<app>/choices.py`), by its set of values."""
    found: dict[frozenset, type] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("mieruka."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.choices")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, models.Choices) and value.__module__ == module.__name__:
                found.setdefault(frozenset(value.values), value)
    return found


def _enum_component(choices: type) -> dict:
    with translation.override("en"):
        labels = [str(label) for label in choices.labels]
    return {
        "enum": list(choices.values),
        "type": "string",
        "x-enum-varnames": list(choices.names),
        "description": "\n".join(f"* `{v}` - {label}" for v, label in zip(choices.values, labels, strict=True)),
    }


def _rewrite_refs(node, renames: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rpartition("/")[2] in renames:
            node["$ref"] = "#/components/schemas/" + renames[ref.rpartition("/")[2]]
        for value in node.values():
            _rewrite_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, renames)


def share_enums(result, generator, request, public):
    """One component per choice class, named after it in English (`SystemStatusEnum`), its values in the
    order the domain declares them and its labels in English; filters refer to the same components, so a
    generated client has one type for "a system status" whether it reads a record or filters a list."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    classes = _choice_classes()
    renames = {}
    for name, component in list(schemas.items()):
        choices = classes.get(frozenset(component.get("enum") or ()))
        if choices is None:
            continue
        wanted = f"{choices.__name__}Enum"
        if wanted != name and wanted in schemas:
            continue
        schemas.pop(name)
        schemas[wanted] = _enum_component(choices)
        renames[name] = wanted
    _rewrite_refs(result, renames)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for param in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = param.get("schema", {})
                holder = schema["items"] if "items" in schema else schema
                choices = classes.get(frozenset(holder.get("enum") or ()))
                if choices is None:
                    continue
                wanted = f"{choices.__name__}Enum"
                schemas.setdefault(wanted, _enum_component(choices))
                holder.clear()
                holder["$ref"] = f"#/components/schemas/{wanted}"
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result


def add_servers(result, generator, request, public):
    """The server the schema was read from, so a generated client knows where to send requests."""
    url = request.build_absolute_uri("/").rstrip("/") if request is not None else "http://localhost:8000"
    result["servers"] = [{"url": url, "description": "This Mieruka installation"}]
    return result


def mark_restricted_fields_optional(result, generator, request, public):
    """Restricted fields are absent for users without clearance, so no response may require them."""
    names = set().union(*RESTRICTED_FIELDS.values())
    for component in result.get("components", {}).get("schemas", {}).values():
        properties = component.get("properties", {})
        for name in names & properties.keys():
            if "required" in component and name in component["required"]:
                component["required"].remove(name)
                if not component["required"]:
                    del component["required"]
            if properties[name].get("readOnly"):
                properties[name]["description"] = (
                    properties[name].get("description", "") + " Shown only to users with clearance."
                ).strip()
    return result


@cache
def _bulk_classes(view_class, action: str):
    view = view_class()
    view.action = "partial_update" if action == "bulk_partial_update" else "create"
    base = view.get_input_serializer_class()
    key = view.bulk_key
    name = base.__name__.removesuffix("Serializer")
    key_field = (serializers.IntegerField if key == "id" else serializers.CharField)(
        help_text="The key of the record to change or delete.")
    etag = serializers.CharField(help_text="The record's ETag from your last read of it (as If-Match).")
    if action == "bulk_destroy":
        attrs = {key: key_field, "etag": etag, "reason": serializers.CharField(
            required=False, help_text="Why it is deleted (or the X-Change-Reason header).")}
        return type(f"Bulk{name}Delete", (serializers.Serializer,), attrs)
    if action == "bulk":
        return base
    attrs = {"etag": etag}
    if key not in base._declared_fields and key not in getattr(getattr(base, "Meta", None), "fields", ()):
        attrs[key] = key_field
    if hasattr(base, "Meta"):
        attrs["Meta"] = type("Meta", (base.Meta,), {"fields": [*base.Meta.fields, *attrs]})
    return type(f"Bulk{name}Change", (base,), attrs)


def bulk_item_serializer(view, action: str):
    """One record of a bulk request, as the schema shows it: the create input, or the change input with
    the record's key and ETag, or the key, ETag and reason of a deletion."""
    return _bulk_classes(type(view), action)


@cache
def _bulk_result_class(view_class):
    output = view_class.serializer_class
    return type(f"Bulk{output.__name__.removesuffix('Serializer')}Result", (serializers.Serializer,), {
        "etag": serializers.CharField(help_text="The record's new ETag."),
        "record": output(),
    })


def bulk_result_serializer(view):
    return _bulk_result_class(type(view))


class PortfolioAutoSchema(AutoSchema):
    """OpenAPI for the pattern: input vs output serializers, If-Match/ETag, the change reason header, and
    the documented error responses of each kind of operation."""

    def get_request_serializer(self):
        action = getattr(self.view, "action", None)
        if action in ("bulk", "bulk_partial_update", "bulk_destroy"):
            return bulk_item_serializer(self.view, action)(many=True, partial=action == "bulk_partial_update")
        getter = getattr(self.view, "get_input_serializer_class", None)
        if getter is not None and self.method in ("POST", "PUT", "PATCH"):
            return getter()
        return super().get_request_serializer()

    SUMMARIES = {
        "list": "List {plural}",
        "retrieve": "Read one {name}",
        "create": "Create {a} {name}",
        "update": "Replace {a} {name}",
        "partial_update": "Change fields of {a} {name}",
        "destroy": "Delete {a} {name}",
    }

    def get_filter_backends(self):
        # An export takes the same filters as its list.
        if getattr(self.view, "action", None) == "export":
            return getattr(self.view, "filter_backends", [])
        return super().get_filter_backends()

    def get_summary(self):
        summary = super().get_summary()
        if summary:
            return summary
        action = getattr(self.view, "action", None)
        serializer = getattr(self.view, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if action not in self.SUMMARIES or model is None:
            return None
        with translation.override("en"):
            name, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        article = "an" if name[:1].lower() in "aeiou" else "a"
        return self.SUMMARIES[action].format(name=name, plural=plural, a=article)

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if not _is_portfolio_view(self.view):
            return params
        if "{id}" in self.path and getattr(self.view, "lookup_value_regex", "") == "[0-9]{1,18}":
            # Numeric IDs in the path are integers (drf-spectacular cannot see the model behind a view
            # whose queryset depends on the user).
            params.append(OpenApiParameter("id", int, OpenApiParameter.PATH, description="The record's ID."))
        action = getattr(self.view, "action", None) or ""
        if action == "export" and issubclass(self.view.get_serializer_class(), OutputSerializer):
            params.append(OpenApiParameter("fields", str, OpenApiParameter.QUERY, description=(
                "Comma-separated field names: only these columns (the API's fields) in the file.")))
        if action in ("list", "retrieve") and issubclass(self.view.get_serializer_class(), OutputSerializer):
            params += [
                OpenApiParameter("brief", bool, OpenApiParameter.QUERY, description=(
                    "true: each record as id, code, display and url only (the other fields are left out).")),
                OpenApiParameter("fields", str, OpenApiParameter.QUERY, description=(
                    "Comma-separated field names: only these fields of each record (e.g. `system_id,status`); "
                    "an unknown name is a 400.")),
            ]
        if_match = action in getattr(self.view, "if_match_actions", ())
        if (self.method in ("PUT", "PATCH", "DELETE") and not action.startswith("bulk")) or if_match:
            params.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag from your last read of this record. Missing: 428; stale: 412.",
                )
            )
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            need = ("Optional when creating." if self.method == "POST" else
                    "Required to change or delete a record, unless the body has a `reason` field: 400 without one.")
            params.append(
                OpenApiParameter(
                    "X-Change-Reason",
                    str,
                    OpenApiParameter.HEADER,
                    description="Why the change is made (UTF-8, percent-encoded); recorded in the change log. "
                    + need,
                )
            )
        if action in ("retrieve", "create", "update", "partial_update") or if_match:
            params.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=["200", "201"],
                    description="The record's current version; send it back as If-Match to change it.",
                )
            )
        return params

    def get_response_serializers(self):
        action = getattr(self.view, "action", None)
        if action in ("bulk", "bulk_partial_update"):
            return {"201" if action == "bulk" else "200": bulk_result_serializer(self.view)(many=True)}
        return super().get_response_serializers()

    def _get_request_body(self, direction="request"):
        if getattr(self.view, "action", None) != "bulk_destroy":
            return super()._get_request_body(direction)
        # A bulk deletion names its records in the body, which OpenAPI leaves to the API to define.
        method, self.method = self.method, "POST"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = method

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # As sent: every request may be refused for its credentials, role, rate or method; the body of
        # a write may be of the wrong type; one record may not exist; changes need a current If-Match.
        codes = ["400", "401", "403", "405", "429"]
        if self.method == "GET" and (not self._is_list_view() or "{" in self.path):  # one record, or its list
            codes += ["404"]
        elif self.method == "POST":
            codes += ["409", "415"]
            if getattr(self.view, "action", None) in getattr(self.view, "if_match_actions", ()):
                codes += ["404", "412", "428"]
        elif self.method in ("PUT", "PATCH"):
            codes += ["404", "409", "412", "415", "428"]
        elif self.method == "DELETE":
            codes += ["404", "409", "412", "428"]
        for code in sorted(codes):
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = ERROR_DESCRIPTIONS[code]
        return responses


ERROR_DESCRIPTIONS = {
    "400": "Invalid input or filter (validation_error, application_error, parse_error)",
    "401": "No or invalid credentials (not_authenticated, authentication_failed)",
    "403": "Not allowed for your role or organization (permission_denied)",
    "404": "No such record within what you may see (not_found)",
    "405": "This method is not offered here (method_not_allowed)",
    "409": "Conflicts with another change (conflict)",
    "412": "If-Match does not match the record's current ETag (precondition_failed)",
    "415": "The body is not JSON (unsupported_media_type)",
    "428": "If-Match header missing, or `*` (precondition_required)",
    "429": "Too many requests (throttled)",
}
