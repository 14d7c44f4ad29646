"""What the audit trail records: who (named exactly), the snapshot of each record, and one row per record."""

import datetime
import getpass
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import RequestFactory, TestCase

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import (
    Actor,
    audit_record,
    audit_record_many,
    audit_snapshots_insert,
    audit_trail_insert,
    audited_delete,
    audited_delete_cascade,
    audited_update,
    serialize_object,
)
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class ActorTest(PortfolioTestCase):
    def test_a_page_request_names_the_signed_in_person_and_carries_the_request_s_batch(self):
        request = RequestFactory().get("/")
        request.user, request.request_id = self.pjmo, uuid.UUID(int=7)
        actor = Actor.from_request(request)
        assert (actor.user, actor.name, actor.source, actor.request_id) == (self.pjmo, "pjmo_mhlw", "web",
                                                                             uuid.UUID(int=7))
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        actor = Actor.from_request(request, source="api")
        assert (actor.user, actor.name, actor.source) == (None, "anonymous", "api")
        assert isinstance(actor.request_id, uuid.UUID)

    def test_a_command_line_run_is_named_by_account_or_by_the_operating_system_login(self):
        actor = Actor.for_command(username="analyst", source="demo")
        assert (actor.user, actor.name, actor.source) == (self.analyst, "analyst", "demo")
        actor = Actor.for_command()
        assert (actor.user, actor.name, actor.source) == (None, f"cli:{getpass.getuser()}", "cli")
        with pytest.raises(ApplicationError) as err:
            Actor.for_command(username="nobody")
        assert "ユーザー「nobody」は存在しません" in str(err.value) and "User 'nobody' does not exist" in str(err.value)

    def test_without_a_login_entry_the_operator_is_unknown(self):
        def no_login():
            raise KeyError("no passwd entry")
        original, getpass.getuser = getpass.getuser, no_login
        try:
            assert Actor.for_command(source="cli").name == "cli:unknown"
        finally:
            getpass.getuser = original


class SnapshotTest(PortfolioTestCase):
    def test_dates_amounts_and_links_are_stored_as_plain_json_without_the_timestamps(self):
        gima, gpki = factories.platform(code="GIMA"), factories.platform(code="GPKI")
        system = factories.system(organization=self.moj, started_on=datetime.date(2020, 4, 1))
        system.platforms.set([gpki, gima])
        data = serialize_object(system)
        assert data["started_on"] == "2020-04-01" and data["organization"] == self.moj.pk
        assert data["platforms"] == sorted([gima.pk, gpki.pk])
        assert "created" not in data and "last_updated" not in data and "id" not in data
        prefetched = InformationSystem.objects.prefetch_related("platforms").get(pk=system.pk)
        assert serialize_object(prefetched)["platforms"] == sorted([gima.pk, gpki.pk])

    def test_a_password_is_never_stored_only_a_fingerprint_that_shows_it_changed(self):
        user = User.objects.create_user("someone", password="first secret 1")
        data = serialize_object(user)
        assert "first secret" not in str(data) and "last_login" not in data
        assert data["password"].startswith("sha256:") and len(data["password"]) == len("sha256:") + 12
        user.set_password("second secret 2")
        assert serialize_object(user)["password"] != data["password"]
        user.password = ""
        assert serialize_object(user)["password"] == ""


class RecordTest(PortfolioTestCase):
    def test_a_row_names_the_actor_the_record_and_its_parent(self):
        system = factories.system(system_id="S-AUD", organization=self.moj)
        line = factories.budget_line(system=system, amount_yen=1_000)
        actor = Actor(user=self.pjmo_other, name="x" * 200, source="api")
        when = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)
        row = audit_record(actor=actor, action="create", instance=line, before=None, after={"amount_yen": 1_000},
                           reason="当初予算", time=when)
        row.refresh_from_db()
        assert (row.user, row.user_name, row.source, row.request_id) == (self.pjmo_other, "x" * 150, "api",
                                                                         actor.request_id)
        assert (row.time, row.reason, row.changed_object_id) == (when, "当初予算", line.pk)
        assert row.related_object_type.model == "informationsystem" and row.related_object_id == system.pk
        assert row.object_repr == str(line)[:200]
        assert audit_record(actor=actor, action="update", instance=line, before={"a": 1}, after={"a": 1}) is None
        assert ObjectChange.objects.count() == 1

    def test_a_long_record_name_is_cut_to_200_characters_and_no_reason_is_stored_as_empty(self):
        system = factories.system(system_id="S-LONG-NAME", organization=self.moj, name_ja="長" * 199)
        row = audit_record(actor=self.actor(), action="create", instance=system, before=None, after={})
        row.refresh_from_db()
        assert row.object_repr == str(system)[:200] and len(row.object_repr) == 200
        assert row.reason == ""

    def test_many_creates_deletes_and_updates_are_recorded_at_once_skipping_unchanged_records(self):
        system = factories.system(organization=self.moj)
        lines = [factories.budget_line(system=system, fiscal_year=fy, amount_yen=n) for fy, n in ((2024, 100), (2025, 200))]
        actor = self.actor()
        assert audit_record_many(actor=actor, action="create", instances=lines, reason="取込", batch_size=1) == 2
        befores = {lines[0].pk: serialize_object(lines[0]), lines[1].pk: {**serialize_object(lines[1]),
                                                                          "amount_yen": 150}}
        assert audit_record_many(actor=actor, action="update", instances=lines, befores=befores) == 1
        assert audit_record_many(actor=actor, action="delete", instances=lines[:1]) == 1
        rows = ObjectChange.objects.order_by("pk")
        assert [(r.action, r.changed_object_id) for r in rows] == [
            ("create", lines[0].pk), ("create", lines[1].pk), ("update", lines[1].pk), ("delete", lines[0].pk)]
        assert rows[0].prechange_data is None and rows[0].postchange_data["amount_yen"] == 100
        assert rows[2].prechange_data["amount_yen"] == 150 and rows[2].postchange_data["amount_yen"] == 200
        assert rows[3].postchange_data is None and rows[3].prechange_data["amount_yen"] == 100
        assert all(r.request_id == actor.request_id and r.reason in ("取込", "") for r in rows)

    def test_an_update_that_changes_nothing_keeps_the_last_updated_time(self):
        system = factories.system(organization=self.moj, purpose="申請受付")
        stamp = InformationSystem.objects.get(pk=system.pk).last_updated
        audited_update(actor=self.actor(), instance=system, data={"purpose": "申請受付", "platforms": []})
        assert InformationSystem.objects.get(pk=system.pk).last_updated == stamp
        assert not ObjectChange.objects.exists()

    def test_a_refused_delete_names_five_of_the_records_that_refer_to_it_in_order(self):
        agency = factories.organization(name_ja="参照庁")
        for n in range(7):
            factories.system(system_id=f"S-REF-{n}", organization=agency, name_ja=f"参照システム{n}")
        with pytest.raises(ApplicationError) as err:
            audited_delete(actor=self.actor(), instance=agency)
        ja, en = str(err.value).split("削除できません（", 1)[1].split("）", 1)[0], str(err.value)
        assert ja.count("S-REF-") == 5 and ja.startswith("S-REF-")
        names = ja.split(", ")
        assert names == sorted(names)
        assert "「参照庁」は他のレコードから参照されているため" in str(err.value)
        assert "参照庁 cannot be deleted while other records refer to it" in en
        assert not ObjectChange.objects.exists()  # the refused delete leaves no audit row


class CascadeTest(PortfolioTestCase):
    def test_deleting_a_system_audits_it_and_each_budget_line_it_takes_with_it(self):
        system = factories.system(organization=self.moj)
        system.platforms.set([factories.platform()])
        lines = [factories.budget_line(system=system, fiscal_year=fy, amount_yen=n) for fy, n in ((2024, 100), (2025, 200))]
        pk = system.pk
        count = audited_delete_cascade(actor=self.actor(), instance=system, reason="廃止")
        assert count == 3
        assert not InformationSystem.objects.filter(pk=pk).exists() and not BudgetLine.objects.exists()
        rows = ObjectChange.objects.filter(action="delete", reason="廃止")
        assert sorted((r.changed_object_type.model, r.changed_object_id) for r in rows) == sorted(
            [("budgetline", lines[0].pk), ("budgetline", lines[1].pk), ("informationsystem", pk)])
        [gone] = [r for r in rows if r.changed_object_type.model == "informationsystem"]
        assert len(gone.prechange_data["platforms"]) == 1  # the links are in the system's last snapshot


def test_decimal_and_uuid_values_are_stored_as_text():
    from mieruka.core.audit import _json_value

    assert _json_value(Decimal("98.77")) == "98.77"
    assert _json_value(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    assert _json_value(datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)) == "2026-01-02T03:04:00+00:00"
    assert _json_value(7) == 7


class AuditTrailInsertTests(TestCase):
    """The generators' fast trail writes the rows the audit helper would."""

    def test_it_writes_what_audit_record_many_writes_dated_per_record(self):
        import datetime

        from django.utils import timezone

        from mieruka.contracts.models import CloudUsage
        from mieruka.core.audit import Actor, audit_record_many, audit_trail_insert
        from mieruka.core.models import ObjectChange
        from mieruka.testing import factories

        system = factories.system()
        rows = [CloudUsage.objects.create(system=system, month=datetime.date(2026, m, 1), account="1",
                                          service_category="compute", amount_yen=1000 * m) for m in (4, 5)]
        fast, slow = Actor(user=None, name="demo", source="demo"), Actor(user=None, name="demo", source="demo")
        when = timezone.make_aware(datetime.datetime(2026, 6, 5, 9))
        self.assertEqual(audit_trail_insert(actor=fast, instances=rows, time_of=lambda r: when, reason="生成"), 2)
        audit_record_many(actor=slow, action="create", instances=rows, time=when, reason="生成")
        fields = ("time", "user_name", "source", "action", "changed_object_type", "changed_object_id",
                  "related_object_type", "related_object_id", "object_repr", "prechange_data", "postchange_data",
                  "reason")
        written = [list(ObjectChange.objects.filter(request_id=a.request_id).order_by("id").values_list(*fields))
                   for a in (fast, slow)]
        self.assertEqual(written[0], written[1])
        self.assertEqual(written[0][0][7], system.pk)  # against its system


class PlainInsertTrailTest(PortfolioTestCase):
    """The generators' plain-insert trail carries the same who, what and why as the audit helper's rows."""

    FIELDS = ("user", "user_name", "source", "action", "changed_object_type", "changed_object_id",
              "related_object_type", "related_object_id", "object_repr", "prechange_data", "postchange_data",
              "reason")

    def setUp(self):
        super().setUp()
        self.system = factories.system(system_id="S-FAST", organization=self.moj, name_ja="長" * 199)
        self.line = factories.budget_line(system=self.system, amount_yen=1_000)
        self.fast, self.slow = (Actor(user=self.pjmo, name="x" * 200, source="demo") for _ in range(2))
        self.april = datetime.datetime(2026, 4, 1, 9, tzinfo=datetime.UTC)
        audit_record_many(actor=self.slow, action="create", instances=[self.system, self.line])

    def rows(self, actor, *fields):
        return list(ObjectChange.objects.filter(request_id=actor.request_id).order_by("id").values_list(*fields))

    def test_the_audit_rows_of_a_bulk_insert_carry_who_the_record_its_parent_and_each_record_s_own_time(self):
        def time_of(record):
            return self.april if record is self.system else self.april + datetime.timedelta(days=1)

        assert audit_trail_insert(actor=self.fast, instances=[self.system, self.line], time_of=time_of) == 2
        assert self.rows(self.fast, *self.FIELDS) == self.rows(self.slow, *self.FIELDS)
        [system_row, line_row] = self.rows(self.fast, "time", "user", "user_name", "related_object_id",
                                           "object_repr", "reason")
        assert system_row[:3] == (self.april, self.pjmo.pk, "x" * 150) and system_row[3] is None
        assert line_row[0] == self.april + datetime.timedelta(days=1) and line_row[3] == self.system.pk
        assert len(system_row[4]) == 200 and system_row[5] == ""  # no reason given: stored as empty

    def test_records_written_as_plain_rows_get_the_trail_the_audit_helper_would_give(self):
        later = self.april + datetime.timedelta(days=1)
        # A record with no parent is stored against none, even where its kind may have one.
        assert audit_snapshots_insert(actor=self.fast, model=InformationSystem, related_model=Organization, entries=[
            (self.april, self.system.pk, str(self.system), serialize_object(self.system), None)]) == 1
        assert audit_snapshots_insert(actor=self.fast, model=BudgetLine, related_model=InformationSystem, entries=[
            (later, self.line.pk, str(self.line), serialize_object(self.line), self.system.pk)]) == 1
        assert self.rows(self.fast, *self.FIELDS) == self.rows(self.slow, *self.FIELDS)
        assert [t for (t,) in self.rows(self.fast, "time")] == [self.april, later]
        assert self.rows(self.fast, "user_name", "reason")[0] == ("x" * 150, "")
        generator = Actor(user=None, name="demo", source="demo")
        audit_snapshots_insert(actor=generator, model=InformationSystem, entries=[
            (self.april, self.system.pk, str(self.system), {}, None)])
        assert self.rows(generator, "user", "user_name") == [(None, "demo")]
