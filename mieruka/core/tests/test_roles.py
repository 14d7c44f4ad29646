"""What each role may read, change and see, answered by the permission rules the pages and the API share."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser, User

from mieruka.core.audit import Actor
from mieruka.core.permissions import (
    actor_is_administrator,
    actor_is_digital_agency,
    can_edit_organization,
    can_read_object,
    can_read_organization,
    can_see_restricted,
    editable_organization_ids,
    hidden_fields,
    is_administrator,
    is_digital_agency,
    organization_id_of,
    reads_everything,
    scope_queryset,
    user_role,
    visible_organization_ids,
)
from mieruka.inventory.models import InformationSystem, Project
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class RoleRulesTest(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.no_role = User.objects.create_user("newcomer", "new@example.go.jp", cls.password)
        cls.mhlw_system = factories.system(system_id="S-MHLW", organization=cls.mhlw_bureau)
        cls.moj_system = factories.system(system_id="S-MOJ", organization=cls.moj)

    def test_each_role_is_named_and_a_person_without_a_role_row_has_none(self):
        assert user_role(self.admin) == "admin"  # a superuser administers without a role row
        assert [user_role(u) for u in (self.analyst, self.reviewer, self.pjmo, self.viewer)] == [
            "analyst", "reviewer", "editor", "viewer"]
        assert user_role(self.no_role) is None
        assert user_role(AnonymousUser()) is None and user_role(None) is None

    def test_analysts_reviewers_and_administrators_read_everything_ministry_staff_their_subtree(self):
        for user in (self.admin, self.analyst, self.reviewer):
            assert visible_organization_ids(user) is None and reads_everything(user), user
        subtree = {self.mhlw.pk, self.mhlw_bureau.pk}
        assert visible_organization_ids(self.pjmo) == subtree
        assert visible_organization_ids(self.viewer) == subtree
        assert not reads_everything(self.pjmo)
        for user in (self.no_role, AnonymousUser()):
            assert visible_organization_ids(user) == set()

    def test_only_administrators_change_everything_and_editors_change_only_their_subtree(self):
        assert editable_organization_ids(self.admin) is None
        assert editable_organization_ids(self.pjmo) == {self.mhlw.pk, self.mhlw_bureau.pk}
        for user in (self.analyst, self.reviewer, self.viewer, self.no_role, AnonymousUser()):
            assert editable_organization_ids(user) == set(), user
        assert can_edit_organization(self.admin, self.moj.pk)
        assert can_edit_organization(self.pjmo, self.mhlw_bureau.pk)
        assert not can_edit_organization(self.pjmo, self.moj.pk)
        assert not can_edit_organization(self.viewer, self.mhlw.pk)

    def test_reading_an_organization_and_a_record_follows_the_subtree(self):
        assert can_read_organization(self.analyst, self.moj.pk)
        assert can_read_organization(self.viewer, self.mhlw_bureau.pk)
        assert not can_read_organization(self.viewer, self.moj.pk)
        assert can_read_object(self.pjmo, self.mhlw_system) and not can_read_object(self.pjmo, self.moj_system)
        assert can_read_object(self.reviewer, self.moj_system)
        assert organization_id_of(self.moj) == self.moj.pk  # an organization owns itself
        assert can_read_object(self.viewer, self.mhlw_bureau) and not can_read_object(self.viewer, self.moj)

    def test_a_list_is_cut_to_the_subtree_whatever_the_path_to_the_organization(self):
        systems = InformationSystem.objects.order_by("system_id")
        assert list(scope_queryset(self.pjmo, systems)) == [self.mhlw_system]
        assert list(scope_queryset(self.analyst, systems)) == [self.mhlw_system, self.moj_system]
        line = factories.budget_line(system=self.moj_system)
        lines = line.__class__.objects.all()
        assert list(scope_queryset(self.pjmo_other, lines, organization_field="system__organization")) == [line]
        assert not scope_queryset(self.pjmo, lines, organization_field="system__organization").exists()

    def test_the_digital_agency_is_its_administrators_and_analysts(self):
        assert is_digital_agency(self.admin) and is_digital_agency(self.analyst)
        assert not any(is_digital_agency(u) for u in (self.reviewer, self.pjmo, self.viewer, self.no_role))
        assert is_administrator(self.admin) and not is_administrator(self.analyst)

    def test_the_operator_at_the_command_line_administers_but_a_web_request_without_a_person_does_not(self):
        for source in ("cli", "demo"):
            operator = Actor(user=None, name="operator", source=source)
            assert actor_is_administrator(operator) and actor_is_digital_agency(operator), source
        nobody = Actor(user=None, name="anonymous", source="web")
        assert not actor_is_administrator(nobody) and not actor_is_digital_agency(nobody)
        analyst_at_cli = Actor(user=self.analyst, name="analyst", source="cli")
        assert not actor_is_administrator(analyst_at_cli) and actor_is_digital_agency(analyst_at_cli)
        assert actor_is_administrator(self.actor(self.admin))
        assert not actor_is_digital_agency(self.actor(self.pjmo))

    def test_internal_notes_are_hidden_without_clearance_and_shown_with_it(self):
        assert can_see_restricted(self.admin) and can_see_restricted(self.analyst)
        for user in (self.pjmo, self.viewer, self.no_role, AnonymousUser()):
            assert not can_see_restricted(user), user
            assert hidden_fields(user, InformationSystem) == {"internal_notes"}
        assert hidden_fields(self.pjmo, Project) == frozenset()  # nothing restricted there
        assert hidden_fields(self.pjmo, None) == frozenset()
        assert hidden_fields(self.analyst, InformationSystem) == frozenset()
        self.pjmo.mieruka_role.clearance = True
        self.pjmo.mieruka_role.save()
        cleared = User.objects.get(pk=self.pjmo.pk)
        assert can_see_restricted(cleared) and hidden_fields(cleared, InformationSystem) == frozenset()


def test_the_owning_organization_is_found_along_the_usual_paths():
    org = SimpleNamespace
    assert organization_id_of(org(organization_id=3)) == 3
    assert organization_id_of(org(system=org(organization_id=4))) == 4
    assert organization_id_of(org(from_system=org(organization_id=5))) == 5
    assert organization_id_of(org(project=org(organization_id=6))) == 6
    assert organization_id_of(org(organization_id=None, system=org(organization_id=7))) == 7
    assert organization_id_of(org(system=None, project=org(organization_id=8))) == 8
    assert organization_id_of(org(name="no owner")) is None
