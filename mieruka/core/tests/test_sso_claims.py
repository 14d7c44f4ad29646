"""How the identity provider's claims map to a Mieruka account, role and organization."""

import uuid

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange, UserRole
from mieruka.core.services import user_sync_from_identity
from mieruka.core.sso import identity_from_claims
from mieruka.testing.base import PortfolioTestCase

MAPPED = override_settings(MIERUKA_OIDC_ROLE_MAP={"gima-pjmo": "editor", "gima-da": "admin"},
                           MIERUKA_OIDC_ORGANIZATION_MAP={"00200": "MHLW"})


class ClaimMappingTest(PortfolioTestCase):
    def sso_actor(self):
        return Actor(user=None, name="sso", source="auth", request_id=uuid.uuid4())

    @MAPPED
    def test_mapped_values_give_the_role_and_organization(self):
        identity = identity_from_claims({"preferred_username": "tanaka", "mieruka_role": "gima-pjmo",
                                         "organization": "00200"})
        assert (identity.role, identity.organization_code) == ("editor", "MHLW")

    @MAPPED
    def test_the_widest_of_several_roles_wins(self):
        identity = identity_from_claims({"preferred_username": "x", "mieruka_role": ["gima-pjmo", "gima-da"],
                                         "organization": "00200"})
        assert identity.role == "admin"

    @MAPPED
    def test_a_ministry_role_without_an_organization_is_refused_in_both_languages(self):
        with pytest.raises(ApplicationError) as caught:
            identity_from_claims({"preferred_username": "x", "mieruka_role": "gima-pjmo"})
        assert "所属組織" in caught.value.message_ja and "organization" in caught.value.message_en

    @MAPPED
    def test_an_unknown_organization_code_is_refused_and_nothing_is_written(self):
        identity = identity_from_claims({"preferred_username": "newbie", "mieruka_role": "gima-pjmo",
                                         "organization": "NOPE"})
        with pytest.raises(ApplicationError) as caught:
            user_sync_from_identity(actor=self.sso_actor(), identity=identity)
        assert "NOPE" in str(caught.value)
        assert not User.objects.filter(username="newbie").exists()

    @MAPPED
    def test_an_unchanged_identity_writes_no_audit_row(self):
        identity = identity_from_claims({"preferred_username": "kato", "mieruka_role": "gima-pjmo",
                                         "organization": "00200", "email": "kato@example.go.jp"})
        user_sync_from_identity(actor=self.sso_actor(), identity=identity)
        count = ObjectChange.objects.count()
        user_sync_from_identity(actor=self.sso_actor(), identity=identity)
        assert ObjectChange.objects.count() == count
        assert UserRole.objects.get(user__username="kato").organization == self.mhlw
