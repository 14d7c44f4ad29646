import json
import os
from pathlib import Path

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds each user's claims from the TEST_IDP_CLAIMS_FILE to the ID token and the userinfo answer."""

    # Custom claims are released with the profile scope, as an identity service releases its attributes.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "mieruka_role": "profile", "organization": "profile",
                        "clearance": "profile", "preferred_username": "profile", "email": "email"}

    def get_additional_claims(self, request):
        # Read on every request, so a test can change what the provider says between two sign-ins.
        path = os.environ.get("TEST_IDP_CLAIMS_FILE")
        claims = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
        user = request.user
        return {"preferred_username": user.username, "email": user.email,
                **claims.get(user.username, {})}
