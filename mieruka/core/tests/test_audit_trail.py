import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.core import audit
from mieruka.core.audit import (
    Actor,
    audit_listen,
    audit_record_many,
    audited_create,
    audited_delete,
    audited_update,
)
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import object_history, object_state_as_of, related_states_as_of
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class AuditTrailTest(PortfolioTestCase):
    def test_a_create_records_actor_batch_and_after_values(self):
        actor = self.actor(source="cli")
        org = audited_create(actor=actor, model=Organization,
                             data={"code": "MIC", "name_ja": "総務省", "kind": "ministry"}, reason="初期登録")
        change = ObjectChange.objects.get(changed_object_id=org.pk, changed_object_type__model="organization")
        assert change.action == "create"
        assert change.user == self.admin and change.user_name == "admin"
        assert change.source == "cli" and change.request_id == actor.request_id
        assert change.prechange_data is None
        assert change.postchange_data["name_ja"] == "総務省"
        assert change.reason == "初期登録"

    def test_an_update_records_before_and_after_of_only_what_changed(self):
        system = factories.system(organization=self.mhlw, hosting="on_premises")
        audited_update(actor=self.actor(), instance=system, data={"hosting": "government_cloud"},
                       reason="ガバメントクラウドへの移行")
        change = object_history(instance=system).get()
        assert [d[0] for d in change.diff()] == ["hosting"]
        assert change.prechange_data["hosting"] == "on_premises"
        assert change.postchange_data["hosting"] == "government_cloud"

    def test_an_update_that_changes_nothing_is_not_recorded(self):
        system = factories.system(organization=self.mhlw)
        audited_update(actor=self.actor(), instance=system, data={"name_ja": system.name_ja})
        assert not object_history(instance=system).exists()

    def test_many_to_many_changes_are_in_the_snapshot(self):
        gima = factories.platform(code="GIMA")
        system = factories.system(organization=self.mhlw)
        audited_update(actor=self.actor(), instance=system, data={"platforms": [gima.pk]})
        change = object_history(instance=system).get()
        assert change.prechange_data["platforms"] == [] and change.postchange_data["platforms"] == [gima.pk]

    def test_invalid_data_saves_nothing_and_records_nothing(self):
        with pytest.raises(ValidationError) as err:
            audited_create(actor=self.actor(), model=Organization,
                           data={"code": "X", "name_ja": "誤り", "kind": "ministry", "corporate_number": "1234567890123"})
        assert "チェックディジット" in str(err.value)
        assert not Organization.objects.filter(code="X").exists()
        assert not ObjectChange.objects.exists()

    def test_a_rolled_back_change_leaves_no_audit_row(self):
        system = factories.system(organization=self.mhlw)
        with pytest.raises(RuntimeError), transaction.atomic():
            audited_update(actor=self.actor(), instance=system, data={"status": "retiring"})
            raise RuntimeError("later step of the same change failed")
        assert not ObjectChange.objects.exists()
        system.refresh_from_db()
        assert system.status == "operation"

    def test_a_delete_keeps_the_last_values_and_the_history_survives(self):
        org = factories.organization()
        pk = org.pk
        audited_delete(actor=self.actor(), instance=org, reason="統合により廃止")
        change = ObjectChange.objects.get(changed_object_id=pk, action="delete")
        assert change.prechange_data["code"] == org.code and change.postchange_data is None
        self.login(self.admin)
        response = self.client.get(f"/history/organizations.organization/{pk}/")
        assert response.status_code == 200
        assert "統合により廃止" in response.content.decode()

    def test_deleting_an_organization_that_owns_systems_is_refused_in_both_languages(self):
        factories.system(organization=self.moj)
        with pytest.raises(ApplicationError) as err:
            audited_delete(actor=self.actor(), instance=self.moj)
        assert "削除できません" in str(err.value) and "cannot be deleted" in str(err.value)
        assert Organization.objects.filter(pk=self.moj.pk).exists()

    def test_a_command_line_actor_without_an_account_is_named_by_login(self):
        actor = Actor.for_command()
        assert actor.user is None and actor.name.startswith("cli:")

    def test_a_command_line_actor_must_name_an_existing_user(self):
        with pytest.raises(ApplicationError):
            Actor.for_command(username="nobody")


class ChangeListenerTest(PortfolioTestCase):
    """Listeners (the API's webhooks) are told of the changes a transaction recorded once it has committed."""

    def setUp(self):
        super().setUp()
        # Only this test's listeners: the API registers its own at start-up.
        patcher = mock.patch.object(audit, "_LISTENERS", [])
        patcher.start()
        self.addCleanup(patcher.stop)
        self.heard = []
        audit_listen(self.heard.append)

    def test_a_listener_hears_of_a_change_only_after_it_is_committed_and_never_of_a_rolled_back_one(self):
        system = factories.system(organization=self.mhlw, hosting="on_premises")
        with self.captureOnCommitCallbacks(execute=True):
            audited_update(actor=self.actor(), instance=system, data={"hosting": "government_cloud"})
            assert self.heard == []  # not yet committed
        assert self.heard == [[ObjectChange.objects.get().pk]]
        with self.captureOnCommitCallbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                audited_update(actor=self.actor(), instance=system, data={"status": "retiring"})
                raise RuntimeError("later step of the same change failed")
        assert len(self.heard) == 1

    def test_every_listener_hears_each_bulk_change_once_and_a_bulk_call_that_records_nothing_announces_nothing(self):
        other = []
        audit_listen(other.append)
        audit_listen(self.heard.append)  # registered twice, still told once
        system = factories.system(organization=self.mhlw)
        lines = [factories.budget_line(system=system, fiscal_year=fy) for fy in (2024, 2025)]
        with self.captureOnCommitCallbacks(execute=True):
            audit_record_many(actor=self.actor(), action="create", instances=lines)
        ids = sorted(ObjectChange.objects.values_list("pk", flat=True))
        assert [sorted(h) for h in self.heard] == [ids] and [sorted(h) for h in other] == [ids]
        unchanged = {line.pk: audit.serialize_object(line) for line in lines}
        with self.captureOnCommitCallbacks(execute=True):
            assert audit_record_many(actor=self.actor(), action="update", instances=lines, befores=unchanged) == 0
        assert len(self.heard) == 1 and len(other) == 1


class AsOfDateTest(PortfolioTestCase):
    def test_a_system_is_rebuilt_as_it_stood_on_a_date(self):
        actor = self.actor()
        system = audited_create(actor=actor, model=InformationSystem, data={
            "system_id": "S1", "name_ja": "旧名称システム", "organization": self.mhlw,
            "classification": "ministry", "status": "operation", "hosting": "on_premises"})
        ObjectChange.objects.update(time=timezone.make_aware(datetime.datetime(2022, 4, 1, 9)))
        audited_update(actor=actor, instance=system, data={"name_ja": "新名称システム", "hosting": "government_cloud"})
        ObjectChange.objects.filter(action="update").update(time=timezone.make_aware(datetime.datetime(2024, 10, 1, 9)))

        assert object_state_as_of(model=InformationSystem, pk=system.pk, when=datetime.date(2022, 3, 31)) is None
        old = object_state_as_of(model=InformationSystem, pk=system.pk, when=datetime.date(2023, 1, 1))
        assert old["name_ja"] == "旧名称システム" and old["hosting"] == "on_premises"
        new = object_state_as_of(model=InformationSystem, pk=system.pk, when=datetime.date(2024, 10, 1))
        assert new["name_ja"] == "新名称システム"

    def test_budget_lines_are_rebuilt_with_their_system(self):
        actor = self.actor()
        system = factories.system(organization=self.mhlw)
        line = audited_create(actor=actor, model=BudgetLine, data={
            "system": system, "fiscal_year": 2024, "category": "operation", "stage": "initial", "amount_yen": 5_000_000})
        ObjectChange.objects.update(time=timezone.make_aware(datetime.datetime(2024, 4, 1)))
        audited_delete(actor=actor, instance=line)
        then = related_states_as_of(instance=system, model=BudgetLine, when=datetime.date(2024, 5, 1))
        assert [d["amount_yen"] for d in then.values()] == [5_000_000]
        assert related_states_as_of(instance=system, model=BudgetLine, when=timezone.now()) == {}
