"""One error shape for every API failure, and the one handler that produces it.

    {"error": {"code": "validation_error", "message_ja": "…", "message_en": "…",
               "fields": {"system_id": ["…"]}, "request_id": "…"}}

Validation errors, `ApplicationError` from services, Django model validation, authentication, permission,
not found, method not allowed, precondition (412/428), throttling (429) and unexpected failures (500) all
come out this way, so a client needs one parser. `fields` is present only when fields are at fault; field
messages are in the request's language (Accept-Language, Japanese by default), while `message_ja` and
`message_en` are always both given.
"""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from mieruka.core.errors import ApplicationError, BadQuery, bilingual

logger = logging.getLogger("mieruka.api")


class BilingualMixin:
    """An API exception that carries its message in both languages."""

    def __init__(self, message_ja: str, message_en: str, *, fields: dict | None = None):
        self.message_ja, self.message_en, self.fields = message_ja, message_en, fields
        super().__init__(detail=bilingual(message_ja, message_en))


class Forbidden(BilingualMixin, exceptions.PermissionDenied):
    pass


class TokenRefused(BilingualMixin, exceptions.AuthenticationFailed):
    pass


class PreconditionFailed(BilingualMixin, exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(BilingualMixin, exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"


class Conflict(BilingualMixin, exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


# code, Japanese, English for the exceptions DRF raises itself.
MESSAGES: dict[type, tuple[str, str, str]] = {
    exceptions.ValidationError: ("validation_error", "入力内容に誤りがあります", "The input is invalid"),
    exceptions.ParseError: (
        "parse_error",
        "リクエスト本文を解釈できません（JSONの形式を確認してください）",
        "The request body could not be parsed (check the JSON)",
    ),
    exceptions.NotAuthenticated: (
        "not_authenticated",
        "認証が必要です（トークンまたはログイン）",
        "Authentication is required (a token or a signed-in session)",
    ),
    exceptions.AuthenticationFailed: ("authentication_failed", "認証に失敗しました", "Authentication failed"),
    exceptions.PermissionDenied: (
        "permission_denied",
        "この操作を行う権限がありません",
        "You do not have permission to do this",
    ),
    exceptions.NotFound: (
        "not_found",
        "見つかりません（存在しないか、閲覧できる範囲外です）",
        "Not found (it does not exist or is outside what you may see)",
    ),
    exceptions.MethodNotAllowed: (
        "method_not_allowed",
        "このメソッドは使えません",
        "This method is not allowed here",
    ),
    exceptions.NotAcceptable: (
        "not_acceptable",
        "要求された形式では応答できません",
        "Cannot respond in the requested format",
    ),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "本文の形式に対応していません（JSONで送ってください）",
        "Unsupported body format (send JSON)",
    ),
    exceptions.Throttled: (
        "throttled",
        "リクエストが多すぎます。しばらく待ってから再試行してください",
        "Too many requests; wait and try again",
    ),
}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"field": [...], "field.0.sub": [...]} with plain strings."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "non_field_errors" if key in ("__all__", "non_field_errors") and not prefix else str(key)
            out.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        for i, value in enumerate(detail):
            if value:
                out.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
    else:
        values = detail if isinstance(detail, list) else [detail]
        out[prefix or "non_field_errors"] = [str(v) for v in values]
    return out


def error_body(
    *, code: str, message_ja: str, message_en: str, request=None, fields: dict | None = None
) -> dict:
    body = {"code": code, "message_ja": message_ja, "message_en": message_en}
    if fields:
        body["fields"] = fields
    request_id = getattr(request, "request_id", None) if request is not None else None
    body["request_id"] = str(request_id or uuid.uuid4())
    return {"error": body}


def _describe(exc) -> tuple[int, str, str, str, dict | None, dict]:
    """(status, code, ja, en, fields, headers) for any exception; unexpected ones become a 500."""
    headers: dict[str, str] = {}
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, ApplicationError):
        code = "permission_denied" if exc.status_code == 403 else "application_error"
        return exc.status_code, code, exc.message_ja, exc.message_en, exc.extra.get("fields"), headers
    if isinstance(exc, BadQuery):
        fields = {exc.parameter: [str(exc)]} if exc.parameter else None
        return 400, "validation_error", exc.message_ja, exc.message_en, fields, headers
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        ja, en = MESSAGES[exceptions.ValidationError][1:]
        return 400, "validation_error", ja, en, _flatten(detail), headers
    if isinstance(exc, DataError):
        # A value the database cannot store (out of range, invalid characters) that validation let through.
        return (
            400,
            "validation_error",
            "データベースに保存できない値が含まれています",
            "A value cannot be stored by the database (out of range or invalid)",
            None,
            headers,
        )
    if isinstance(exc, IntegrityError):
        return (
            409,
            "conflict",
            "他の更新と競合したため保存できませんでした。再読み込みしてやり直してください",
            "The change conflicts with another one and was not saved; reload and try again",
            None,
            headers,
        )
    if isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        fields = None
        if isinstance(exc, exceptions.ValidationError):
            fields = _flatten(exc.detail)
        if hasattr(exc, "message_ja"):
            return (
                exc.status_code,
                exc.default_code,
                exc.message_ja,
                exc.message_en,
                exc.fields or fields,
                headers,
            )
        for klass in type(exc).__mro__:
            if klass in MESSAGES:
                code, ja, en = MESSAGES[klass]
                break
        else:
            code, ja, en = exc.default_code, str(exc.detail), str(exc.detail)
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            ja = f"リクエストが多すぎます。{int(exc.wait)}秒後に再試行してください"
            en = f"Too many requests; try again in {int(exc.wait)} seconds"
        if isinstance(exc, exceptions.MethodNotAllowed):
            en = f"{en} ({exc.detail})"
        return exc.status_code, code, ja, en, fields, headers
    return (
        500,
        "server_error",
        "サーバー内部でエラーが発生しました。request_id を添えて管理者に連絡してください",
        "An internal error occurred; contact the administrators with the request_id",
        None,
        headers,
    )


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every failure in the documented shape (see the module docstring)."""
    # Imported here: authentication classes import this module while rest_framework.views is loading.
    from rest_framework.views import set_rollback

    request = context.get("request")
    status_code, code, ja, en, fields, headers = _describe(exc)
    if status_code >= 500:
        logger.error("API error %s on %s", code, getattr(request, "path", "?"), exc_info=exc)
    set_rollback()
    return Response(
        error_body(code=code, message_ja=ja, message_en=en, request=request, fields=fields),
        status=status_code,
        headers=headers,
    )
