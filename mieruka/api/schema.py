"""OpenAPI: the schema class of every view, the token scheme, and post-processing. Imported by ApiConfig.ready() so the extension
registers before any schema is generated."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from mieruka.core.permissions import RESTRICTED_FIELDS

from .serializers import ErrorSerializer


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


class PortfolioAutoSchema(AutoSchema):
    """OpenAPI for the pattern: input vs output serializers, If-Match/ETag, the change reason header, and
    the documented error responses of each kind of operation."""

    def get_request_serializer(self):
        getter = getattr(self.view, "get_input_serializer_class", None)
        if getter is not None and self.method in ("POST", "PUT", "PATCH"):
            return getter()
        return super().get_request_serializer()

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if not _is_portfolio_view(self.view):
            return params
        if self.method in ("PUT", "PATCH", "DELETE"):
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
        if not self._is_list_view() and self.method in ("GET", "POST", "PUT", "PATCH"):
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

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "429"]
        if self.method == "GET" and not self._is_list_view():
            codes += ["404"]
        elif self.method == "POST":
            codes += ["409"]
        elif self.method in ("PUT", "PATCH", "DELETE"):
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
    "409": "Conflicts with another change (conflict)",
    "412": "If-Match does not match the record's current ETag (precondition_failed)",
    "428": "If-Match header missing, or `*` (precondition_required)",
    "429": "Too many requests (throttled)",
}
