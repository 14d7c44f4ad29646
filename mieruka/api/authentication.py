"""API authentication: personal tokens in the Authorization header, or the browser's session (with CSRF)."""

from rest_framework import authentication

from .exceptions import TokenRefused
from .services import token_authenticate

KEYWORDS = ("token", "bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` or `Authorization: Bearer <key>`.

    A request without the header falls through to the session; a request with a bad, expired or revoked
    key is refused outright rather than treated as anonymous, so a script notices at once.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise TokenRefused(
                "Authorizationヘッダーの形式が正しくありません（例: Bearer mk_…）",
                "Malformed Authorization header (expected: Bearer mk_…)",
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            key = ""
        token = token_authenticate(key=key) if key else None
        if token is None:
            raise TokenRefused(
                "トークンが無効です（誤り・期限切れ・失効のいずれか）",
                "Invalid token (unknown, expired or revoked)",
            )
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to anonymous requests, naming the scheme to use.
        return 'Bearer realm="api"'
