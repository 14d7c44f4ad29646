import datetime
import io
import re
from collections import Counter, defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.core.audit import serialize_object
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import object_state_as_of
from mieruka.demo import data, generator, planning, systems
from mieruka.demo.generator import demo_portfolio_generate
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.monitoring.models import Baseline, StatusReport
from mieruka.organizations.models import Organization
from mieruka.organizations.validators import corporate_number_is_valid, local_government_code_is_valid
from mieruka.plans.models import Decision, Initiative, MidTermPlan
from mieruka.reporting.models import Answer, Campaign, Confirmation, Return, ReturnItem, Survey
from mieruka.reviews.models import Finding, Review, ReviewTransition

SMALL = 60
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


# How a record is named across runs: primary keys differ between runs and databases, these do not.
NATURAL_KEYS = {Organization: "code", SharedPlatform: "code", InformationSystem: "system_id", Project: "project_id"}


def portfolio_snapshot() -> dict:
    """Everything generated, the extensions' data included, by natural keys."""
    names: dict[type, dict] = {}

    def name_of(model, pk):
        if model not in names:
            field = NATURAL_KEYS.get(model)
            names[model] = ({pk: key for pk, key in model._default_manager.values_list("pk", field)} if field else
                            {o.pk: str(o) for o in model._default_manager.select_related()})
        return names[model].get(pk, pk)

    def natural(model, row: dict | None) -> tuple:
        """A trail snapshot with every foreign key and many-to-many link replaced by the target's name."""
        if row is None:
            return ()
        out = dict(row)
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if f.is_relation and f.name in out:
                target = f.related_model
                value = out[f.name]
                out[f.name] = (sorted(str(name_of(target, pk)) for pk in value) if f.many_to_many
                               else name_of(target, value) if value is not None else None)
        # A generic relation's object ID is the target's primary key; the target is named by the record itself.
        for f in model._meta.private_fields:
            if f.__class__.__name__ == "GenericForeignKey" and f.fk_field in out:
                out[f.fk_field] = "#"
        return tuple(sorted((k, str(v)) for k, v in out.items()))

    def rows(qs, *fields) -> list[tuple]:
        return sorted(tuple(str(v) for v in row) for row in qs.values_list(*fields))

    review = ("review__project__project_id", "review__fiscal_year", "review__stage")
    confirmed = ContentType.objects.get_for_model(InformationSystem), ContentType.objects.get_for_model(Project)
    return {
        "organizations": sorted(natural(Organization, serialize_object(o)) for o in Organization.objects.all()),
        "systems": sorted(natural(InformationSystem, serialize_object(s))
                          for s in InformationSystem.objects.prefetch_related("platforms")),
        "projects": sorted(natural(Project, serialize_object(p)) for p in Project.objects.prefetch_related("systems")),
        "interfaces": sorted(natural(Interface, serialize_object(i)) for i in Interface.objects.all()),
        "budgets": sorted(BudgetLine.objects.values_list(
            "system__system_id", "fiscal_year", "category", "stage", "appropriation", "amount_yen")),
        "reviews": rows(Review.objects, "project__project_id", "fiscal_year", "stage", "state", "phase",
                        "reviewer__username", "submitted_on", "decided_on", "follow_up", "support_reviewer__username"),
        "transitions": rows(ReviewTransition.objects, *review, "from_state", "to_state", "time", "user_name"),
        "findings": rows(Finding.objects, *review, "kind", "severity", "category", "text", "owner__username", "status",
                         "due_on", "closed_on", "carried_into__project__project_id", "carried_into__stage"),
        "baselines": rows(Baseline.objects, "project__project_id", "kind", "cost_yen", "end_on", "set_on", "created"),
        "status_reports": rows(StatusReport.objects, "project__project_id", "period_end", "filed_on", "overall",
                               "forecast_cost_yen", "forecast_end_on", "filed_by__username"),
        "plans": rows(Initiative.objects, "plan__organization__code", "plan__code", "code", "systems__system_id"),
        "plan_count": MidTermPlan.objects.count(),
        "decisions": rows(Decision.objects, "system__system_id", "kind", "merged_into__system_id", "decided_on"),
        "campaigns": rows(Campaign.objects, "title", "status", "due_on", "opened_at", "closed_at", "created",
                          "organizations__code"),
        "returns": rows(Return.objects, "campaign__title", "organization__code", "status", "started_at",
                        "submitted_at", "decided_at"),
        "return_items": rows(ReturnItem.objects, "ret__campaign__title", "ret__organization__code", "record_label",
                             "field", "prefilled", "answer", "state", "answered_at"),
        "surveys": rows(Survey.objects, "title", "opened_at", "created", "recipients__organization__code"),
        "answers": rows(Answer.objects, "recipient__organization__code", "question__position", "value", "answered_at"),
        "confirmations": sorted(
            (str(name_of(InformationSystem if ct == confirmed[0].pk else Project, pk)), str(at), via, str(campaign))
            for ct, pk, at, via, campaign in Confirmation.objects.values_list(
                "content_type", "object_id", "confirmed_at", "via", "campaign__title")
        ),
        # A finding's name carries its primary key ("P-0001 #12 …"), the one part that differs between runs.
        "trail": sorted(
            (c.changed_object_type.model, re.sub(r"#\d+", "#", c.object_repr), c.action, c.time.isoformat(),
             c.reason, natural(c.changed_object_type.model_class(), c.prechange_data),
             natural(c.changed_object_type.model_class(), c.postchange_data))
            for c in ObjectChange.objects.select_related("changed_object_type")
        ),
    }


def organizations_people_work_in() -> set[int]:
    """The organizations user roles point at, with their ancestors: what a reset must keep."""
    from mieruka.core.models import UserRole

    ids = set()
    for org in Organization.objects.filter(pk__in=UserRole.objects.values("organization")):
        while org is not None:
            ids.add(org.pk)
            org = org.parent
    return ids


class DemoDeterminismTest(TestCase):
    def test_the_same_seed_gives_the_same_portfolio_and_another_seed_a_different_one(self):
        demo_portfolio_generate(systems=SMALL, seed=3)
        first = portfolio_snapshot()
        demo_portfolio_generate(systems=SMALL, seed=3, reset=True)
        again = portfolio_snapshot()
        for table, content in first.items():
            assert again[table] == content, table
        # The extensions wrote something in every table compared, and dated every change by `today` at the latest.
        assert all(first.values())
        assert timezone.localtime(ObjectChange.objects.latest("time").time).date() <= planning.AS_OF
        demo_portfolio_generate(systems=SMALL, seed=4, reset=True)
        other = portfolio_snapshot()
        assert other["systems"] != first["systems"]
        assert other["budgets"] != first["budgets"]
        assert other["reviews"] != first["reviews"]


class DemoPortfolioTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = demo_portfolio_generate(systems=SMALL, seed=7)

    def test_it_generates_the_requested_systems_with_projects_interfaces_and_ten_years_of_budgets(self):
        assert InformationSystem.objects.count() == SMALL == self.summary.systems
        assert SMALL * 0.4 <= Project.objects.count() <= SMALL
        assert Interface.objects.count() >= SMALL
        assert SharedPlatform.objects.count() == len(data.PLATFORMS)
        years = set(BudgetLine.objects.values_list("fiscal_year", flat=True).distinct())
        assert years == set(range(2017, 2027))
        assert self.summary.budget_lines == BudgetLine.objects.count()

    def test_the_ministries_are_in_the_official_order(self):
        tops = list(Organization.objects.filter(parent=None, kind__in=["ministry", "digital_agency"])
                    .order_by("order").values_list("name_ja", flat=True))
        assert tops[:4] == ["内閣官房", "内閣法制局", "人事院", "内閣府"]
        assert tops.index("デジタル庁") < tops.index("総務省") < tops.index("厚生労働省") < tops.index("防衛省")
        assert Organization.objects.get(code="MOF-NTA").parent.code == "MOF"

    def test_every_official_code_has_a_valid_check_digit(self):
        numbers = [n for n in Organization.objects.values_list("corporate_number", flat=True) if n]
        codes = [c for c in Organization.objects.values_list("local_government_code", flat=True) if c]
        assert len(numbers) > 50 and len(codes) >= 15
        assert all(corporate_number_is_valid(n) for n in numbers)
        assert all(local_government_code_is_valid(c) for c in codes)
        # The real codes of the real municipalities, and their real corporate numbers.
        sapporo = Organization.objects.get(name_ja="札幌市")
        assert sapporo.local_government_code == "011002"
        assert Organization.objects.get(name_ja="東京都").corporate_number == "8000020130001"
        assert {"131016", "271004", "130001"} <= set(codes)

    def test_budget_amounts_are_whole_thousands_and_never_negative(self):
        amounts = list(BudgetLine.objects.values_list("amount_yen", flat=True))
        assert amounts and all(a >= 0 and a % 1000 == 0 for a in amounts)

    def test_executed_amounts_stay_within_the_available_budget_in_almost_every_line(self):
        lines = defaultdict(dict)
        for sid, fy, cat, stage, amount in BudgetLine.objects.values_list(
                "system_id", "fiscal_year", "category", "stage", "amount_yen"):
            lines[(sid, fy, cat)][stage] = amount
        executed = [(v["executed"], v.get("initial", 0) + v.get("supplementary", 0) + v.get("carryover", 0))
                    for v in lines.values() if "executed" in v]
        within = sum(1 for spent, available in executed if spent <= available)
        assert executed and within / len(executed) >= 0.98
        assert not any(fy == 2026 and "executed" in v for (_, fy, _), v in lines.items())
        requested = [(v["request"], v["initial"]) for v in lines.values() if "request" in v]
        assert all(req >= ini for req, ini in requested)

    def test_only_digital_agency_and_joint_systems_are_lump_sum_and_only_from_fy2022(self):
        lump = BudgetLine.objects.filter(appropriation="digital_agency")
        assert lump.exists()
        assert not lump.filter(fiscal_year__lt=2022).exists()
        assert not lump.exclude(system__classification__in=["digital_agency", "joint"]).exists()

    def test_dates_are_consistent(self):
        for s in InformationSystem.objects.exclude(retired_on=None):
            assert s.started_on is None or s.retired_on >= s.started_on
        assert not InformationSystem.objects.filter(status="retired", retired_on=None).exists()
        assert not InformationSystem.objects.filter(status="operation").exclude(retired_on=None).exists()
        for p in Project.objects.exclude(starts_on=None).exclude(ends_on=None):
            assert p.ends_on >= p.starts_on

    def test_every_record_has_a_create_row_from_the_demo_actor(self):
        for model in (Organization, SharedPlatform, InformationSystem, Project, Interface, BudgetLine):
            ids = set(model.objects.values_list("pk", flat=True))
            created = set(ObjectChange.objects.filter(
                changed_object_type__model=model._meta.model_name, action="create",
            ).values_list("changed_object_id", flat=True))
            assert ids and ids == created, model
        rows = ObjectChange.objects.all()
        assert set(rows.values_list("source", "user_name").distinct()) == {("demo", "demo")}
        assert rows.values("request_id").distinct().count() == 1
        assert rows.count() == self.summary.audit_rows

    def test_budget_lines_are_traced_to_their_system(self):
        line = BudgetLine.objects.select_related("system").order_by("pk").first()
        change = ObjectChange.objects.get(changed_object_type__model="budgetline", changed_object_id=line.pk)
        assert change.related_object == line.system
        assert change.postchange_data == serialize_object(line)
        assert change.object_repr == str(line)

    def test_the_trail_rebuilds_every_system_as_it_stands_today(self):
        for system in InformationSystem.objects.prefetch_related("platforms"):
            state = object_state_as_of(model=InformationSystem, pk=system.pk, when=datetime.date.today())
            assert state == serialize_object(system), system.system_id

    def test_a_migrated_system_shows_its_old_hosting_before_the_move_to_the_government_cloud(self):
        move = ObjectChange.objects.filter(reason="ガバメントクラウドへの移行").order_by("time").first()
        assert move is not None
        gov_cloud = SharedPlatform.objects.get(code="GOV_CLOUD")
        day_before = move.time.date() - datetime.timedelta(days=1)
        before = object_state_as_of(model=InformationSystem, pk=move.changed_object_id, when=day_before)
        after = object_state_as_of(model=InformationSystem, pk=move.changed_object_id, when=move.time)
        assert before["hosting"] in ("on_premises", "other_cloud")
        assert gov_cloud.pk not in before["platforms"]
        assert after["hosting"] == "government_cloud" and gov_cloud.pk in after["platforms"]
        created = ObjectChange.objects.get(changed_object_id=move.changed_object_id, action="create",
                                           changed_object_type=move.changed_object_type)
        assert created.time.date() == planning.BASELINE < move.time.date()

    def test_shared_platforms_are_systems_too_and_others_authenticate_through_them(self):
        gima = InformationSystem.objects.get(name_ja="職員認証サービス（GIMA）")
        assert Interface.objects.filter(to_system=gima, kind="authentication").exists()
        cloud = InformationSystem.objects.get(name_ja="ガバメントクラウド")
        assert Interface.objects.filter(to_system=cloud, kind="platform").exists()


class DemoCommandTest(TestCase):
    def run_demo(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("demo", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_reports_progress_per_phase_and_ends_with_a_summary(self):
        out, err = self.run_demo("--systems", "20", "--seed", "2")
        assert f"[3/{6 + len(generator.EXTENSIONS)}]" in err and "情報システム / systems: 20" in err
        for label in ("organizations", "platforms", "systems", "projects", "interfaces", "budget lines",
                      "audit rows", "elapsed"):
            assert label in out
        assert InformationSystem.objects.count() == 20

    def test_it_refuses_to_generate_over_existing_data_and_changes_nothing(self):
        self.run_demo("--systems", "10")
        before = ObjectChange.objects.count()
        with pytest.raises(CommandError) as err:
            self.run_demo("--systems", "10", "--seed", "9")
        assert "既にデータがあります" in str(err.value) and "already holds data" in str(err.value)
        assert InformationSystem.objects.count() == 10 and ObjectChange.objects.count() == before

    def test_if_empty_generates_into_an_empty_portfolio_and_does_nothing_the_second_time(self):
        self.run_demo("--systems", "10", "--if-empty")
        snapshot = portfolio_snapshot()
        out, _ = self.run_demo("--systems", "10", "--seed", "9", "--if-empty")
        assert "already holds data" in out
        assert portfolio_snapshot() == snapshot

    def test_reset_replaces_the_portfolio_and_its_audit_rows(self):
        self.run_demo("--systems", "10", "--seed", "1")
        old_ids = set(InformationSystem.objects.values_list("pk", flat=True))
        self.run_demo("--systems", "15", "--seed", "2", "--reset")
        assert InformationSystem.objects.count() == 15
        assert not old_ids & set(InformationSystem.objects.values_list("pk", flat=True))
        assert not ObjectChange.objects.filter(changed_object_type__model="informationsystem",
                                               changed_object_id__in=old_ids).exists()
        # Everything the second run wrote is one batch. The demo people, their roles and the organizations they
        # work in survive the reset with their history, so their create rows are still those of the first run.
        batch = ObjectChange.objects.filter(changed_object_type__model="informationsystem").first().request_id
        older = ObjectChange.objects.exclude(request_id=batch)
        kept = organizations_people_work_in()
        assert kept
        assert set(older.values_list("changed_object_type__model", "action")) == {
            ("organization", "create"), ("user", "create"), ("userrole", "create")}
        organizations = older.filter(changed_object_type__model="organization")
        assert set(organizations.values_list("changed_object_id", flat=True)) == kept

    def test_it_rejects_a_negative_number_of_systems_in_both_languages(self):
        with pytest.raises(CommandError) as err:
            self.run_demo("--systems", "-1")
        assert "システム数" in str(err.value) and "number of systems" in str(err.value)
        assert not Organization.objects.exists()

    def test_fifty_thousand_systems_are_allowed_for_benchmarks_and_a_typo_is_not(self):
        self.run_demo("--systems", "10")
        # 50,000 passes the bound and reaches the next check (existing data), so nothing is generated here.
        with pytest.raises(CommandError) as err:
            self.run_demo("--systems", "50000")
        assert "already holds data" in str(err.value)
        with pytest.raises(CommandError) as err:
            self.run_demo("--systems", "5000000")
        assert "number of systems" in str(err.value)

    def test_it_reuses_organizations_that_already_exist(self):
        mhlw = Organization.objects.create(code="MHLW", name_ja="厚生労働省", kind="ministry", order=20)
        summary = demo_portfolio_generate(systems=SMALL, seed=7)
        assert summary.organizations_reused == 1
        assert Organization.objects.filter(code="MHLW").count() == 1
        assert InformationSystem.objects.filter(organization=mhlw).exists()
        assert Organization.objects.get(code="MHLW-HEALTH").parent == mhlw

    def test_a_handful_of_systems_still_includes_the_flagships(self):
        demo_portfolio_generate(systems=5, seed=1)
        names = set(InformationSystem.objects.values_list("name_ja", flat=True))
        assert names == {"ガバメントクラウド", "社会保険オンラインシステム", "国税総合管理（KSK）システム",
                         "ハローワークシステム", "防衛情報通信基盤（DII）"}

    @FAST_HASHER
    def test_print_logins_creates_demo_users_that_can_log_in(self):
        out, _ = self.run_demo("--print-logins", "--force")
        assert not InformationSystem.objects.exists()
        for spec in data.DEMO_USERS:
            assert spec.username in out
            assert self.client.login(username=spec.username, password="mieruka-demo"), spec.username
            self.client.logout()
        assert "mieruka-demo" in out and "demo only" in out
        assert get_user_model().objects.get(username="admin").is_superuser
        assert not get_user_model().objects.get(username="viewer").is_staff

    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"])
    def test_the_kept_hash_of_the_demo_password_is_what_the_default_hasher_accepts_as_current(self):
        from django.contrib.auth.hashers import check_password, get_hasher

        assert check_password(data.DEMO_PASSWORD, data.DEMO_PASSWORD_HASH)
        assert not get_hasher().must_update(data.DEMO_PASSWORD_HASH)
        generator.demo_users_ensure()
        admin = get_user_model().objects.get(username="admin")
        assert admin.password == data.DEMO_PASSWORD_HASH
        assert self.client.login(username="analyst", password=data.DEMO_PASSWORD)

    @FAST_HASHER
    def test_another_configured_hasher_gets_a_hash_of_its_own(self):
        generator.demo_users_ensure()
        admin = get_user_model().objects.get(username="admin")
        assert admin.password.startswith("md5$") and admin.check_password(data.DEMO_PASSWORD)

    @FAST_HASHER
    def test_print_logins_leaves_existing_accounts_and_their_passwords_alone(self):
        self.run_demo("--print-logins", "--force")
        admin = get_user_model().objects.get(username="admin")
        admin.set_password("a much better password")
        admin.save()
        out, _ = self.run_demo("--print-logins", "--force")
        assert get_user_model().objects.filter(username="admin").count() == 1
        assert get_user_model().objects.get(username="admin").check_password("a much better password")
        admin_line = next(line for line in out.splitlines() if line.strip().startswith("admin"))
        assert "mieruka-demo" not in admin_line

    @FAST_HASHER
    def test_print_logins_refuses_on_a_database_the_demo_did_not_fill(self):
        # Real data entered or imported, not generated: no well-known superuser password may appear.
        Organization.objects.create(code="MHLW", name_ja="厚生労働省", kind="ministry", order=20)
        with pytest.raises(CommandError) as err:
            self.run_demo("--print-logins")
        assert "デモデータではない" in str(err.value) and "--force" in str(err.value)
        assert not get_user_model().objects.exists()

    @FAST_HASHER
    def test_print_logins_works_on_a_generated_demo(self):
        self.run_demo("--systems", "5")
        out, _ = self.run_demo("--print-logins")
        assert "mieruka-demo" in out and get_user_model().objects.filter(username="analyst").exists()


class DemoShapeTest(SimpleTestCase):
    """The default-sized portfolio's shape, checked on the plan (no database: fast)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        orgs = planning.plan_organizations()
        cls.systems = systems.SystemPlanner(seed=generator.DEFAULT_SEED, orgs=orgs).plan(1200)
        rng = planning.stream(generator.DEFAULT_SEED, "budgets")
        cls.cost = Counter()
        cls.by_ministry = Counter()
        for s in cls.systems:
            for row in planning.plan_budget(s, rng):
                if row.fiscal_year == 2025 and row.stage == "initial":
                    cls.cost[s.system_id] += row.amount_yen
                    cls.by_ministry[s.top] += row.amount_yen

    def test_costs_are_as_skewed_as_the_real_portfolio(self):
        total = sum(self.cost.values())
        small = sum(1 for s in self.systems if self.cost[s.system_id] < 100_000_000)
        giants = [v for v in self.cost.values() if v >= 10_000_000_000]
        assert 400e9 <= total <= 900e9
        assert 0.6 <= small / len(self.systems) <= 0.8
        assert 0.005 <= len(giants) / len(self.systems) <= 0.015
        assert 0.25 <= sum(giants) / total <= 0.5

    def test_health_spends_most_then_finance_the_digital_agency_and_transport(self):
        ranking = [code for code, _ in self.by_ministry.most_common(4)]
        assert ranking == ["MHLW", "MOF", "DA", "MLIT"]

    def test_ministries_run_the_same_kinds_of_system_under_different_names(self):
        documents = [s for s in self.systems if s.family == "document"]
        owners = {s.top for s in documents}
        wordings = {s.name_ja.removeprefix(planning_org_name(s)) for s in documents}
        assert len(owners) >= 15 and len(wordings) >= 4

    def test_municipalities_run_the_standard_business_systems(self):
        local = [s for s in self.systems if s.local_key]
        assert len({s.owner for s in local}) >= 10
        assert Counter(s.local_key for s in local)["juminhyo"] >= 10

    def test_about_three_percent_are_important(self):
        share = sum(s.important for s in self.systems) / len(self.systems)
        assert 0.015 <= share <= 0.05


def planning_org_name(system) -> str:
    orgs = {o.code: o for o in planning.plan_organizations()}
    name = orgs[system.owner].name_ja
    return name if system.name_ja.startswith(name) else ""


class DemoResetTest(TestCase):
    def test_reset_keeps_the_organizations_people_work_in_and_reuses_them(self):
        from mieruka.core.models import UserRole

        demo_portfolio_generate(systems=SMALL, seed=7)
        health = Organization.objects.get(code="MHLW-HEALTH")
        user = get_user_model().objects.create_user("pjmo_health", "h@example.go.jp", "x")
        UserRole.objects.create(user=user, role="editor", organization=health)

        summary = demo_portfolio_generate(systems=SMALL, seed=7, reset=True)

        # Kept: every organization a role points at (the demo people's and this one's), with its ancestors.
        kept = organizations_people_work_in()
        assert {health.pk, health.parent_id} <= kept
        assert summary.organizations_reused == len(kept)
        health.refresh_from_db()
        assert health.parent.code == "MHLW"
        assert UserRole.objects.get(user=user).organization == health
        assert InformationSystem.objects.filter(organization__code="MHLW").exists()
        # The kept organizations keep their one create row; nothing else of the old run remains.
        assert ObjectChange.objects.filter(changed_object_type__model="organization",
                                           changed_object_id=health.pk).count() == 1
        plans = planning.plan_organizations()
        # Besides the planned ones, the municipal demo adds the prefectures of the demo's municipalities
        # (宮城県 for 仙台市, …) and nothing else.
        added = Organization.objects.exclude(code__in=[p.code for p in plans])
        assert set(added.values_list("kind", flat=True)) <= {"local_government"}
        assert not added.filter(parent__isnull=False).exists()
        assert Organization.objects.count() == len(plans) + added.count()


class LargeDemoPlanTest(SimpleTestCase):
    def test_fifty_thousand_systems_can_be_planned(self):
        # A ministry with few kinds of system runs past every regional block; before, its names repeated
        # and planning never ended.
        plans = systems.SystemPlanner(seed=generator.DEFAULT_SEED, orgs=planning.plan_organizations()).plan(50_000)
        assert len(plans) == 50_000 and len({p.system_id for p in plans}) == 50_000
