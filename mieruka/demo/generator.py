"""Writes the demo portfolio planned in `planning.py`, with its audit trail, in one transaction.

Every record gets a CREATE row in the trail under the one `demo` actor (source `demo`). Rows are dated
when the fact became known (a budget request on its deadline, a system on its first request or on the
day the portfolio started), and some systems get backdated updates — a move to the government cloud, a
go-live, a retirement, a rename, a transfer to こども家庭庁 — so "the system as it stood on a date" shows
real history. Rows are built here rather than through `audit_record_many` because that helper stamps one
time on a whole batch.
"""

from __future__ import annotations

import datetime
import functools
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import ProtectedError, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.module_loading import import_string

from mieruka.budgets.models import BudgetLine, budget_line_repr
from mieruka.core.audit import TRAIL_COLUMNS, Actor, audit_record, serialize_object
from mieruka.core.bulk import instances_create, instances_insert, keys_reserve, roomy_cache, rows_insert
from mieruka.core.choices import ChangeAction, ChangeSource
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import demo_reference_date_forget
from mieruka.inventory.models import BusinessFunction, InformationSystem, Interface, Project, SharedPlatform
from mieruka.inventory.taxonomy import suggest_functions
from mieruka.municipal.models import BusinessArea
from mieruka.organizations.models import Organization

from . import data, planning, relations
from .systems import SystemPlanner

DEFAULT_SYSTEMS = 1200
DEFAULT_SEED = 2
# Large enough for the 50,000-system benchmarks; the cap only guards against a typo that would run for hours.
MAX_SYSTEMS = 100_000
DEMO_ACTOR_NAME = "demo"
REASON_DEMO_LOGIN = "デモ用ログインの作成"
# A phase that writes at least this many rows also reports its intermediate steps (large benchmark runs).
PROGRESS_ROWS = 200_000
REASON_CREATE = "デモデータの生成"
# Portfolio tables in the order they can be emptied (children before parents).
PORTFOLIO_MODELS: list[type[models.Model]] = [BudgetLine, Interface, Project, InformationSystem, SharedPlatform,
                                              Organization]
# Other apps' demo generators, run in this order after the core portfolio and inside the same transaction:
# dotted paths of functions called as `f(rng=..., actor=..., today=planning.AS_OF)` that return
# {label: count} and audit their writes under the given actor.
EXTENSIONS: list[str] = [
    "mieruka.reviews.demo.oversight_demo_generate",
    "mieruka.plans.demo.decisions_demo_generate",
    "mieruka.plans.demo.plans_demo_generate",
    "mieruka.reporting.demo.reporting_demo_generate",
    "mieruka.demo.contracts.contracts_demo_generate",
    "mieruka.demo.contracts.cloud_usage_demo_generate",
    "mieruka.agencies.demo.agencies_demo_generate",
    "mieruka.municipal.demo.municipal_demo_generate",
    "mieruka.outcomes.demo.outcomes_demo_generate",
    "mieruka.staffing.demo.staffing_demo_generate",
    "mieruka.restraint.demo.restraint_demo_generate",
    "mieruka.security.demo.security_demo_generate",
]
_BATCH_NAMESPACE = uuid.UUID("6f1c9a3e-3b7d-4d0e-9a51-6d656d6f6465")

Progress = Callable[[str], None]


def _reporting_frequency(plan: relations.ProjectPlan) -> str:
    """Important projects under development report monthly, those in operation once a year, others quarterly."""
    if not (plan.important or any(getattr(s, "important", False) for s in plan.systems)):
        return "quarterly"
    return {"development": "monthly", "operation": "annual"}.get(plan.phase, "quarterly")


@dataclass
class DemoSummary:
    """What one run wrote, for the closing summary of the command and for the benchmark."""

    organizations: int = 0
    organizations_reused: int = 0
    platforms: int = 0
    systems: int = 0
    projects: int = 0
    interfaces: int = 0
    budget_lines: int = 0
    audit_rows: int = 0
    elapsed_seconds: float = 0.0
    extra: dict[str, int] = field(default_factory=dict)  # what the extensions wrote, by label

    @property
    def rows(self) -> int:
        return (self.organizations + self.platforms + self.systems + self.projects + self.interfaces
                + self.budget_lines + sum(self.extra.values()) + self.audit_rows)


# --- Reads -----------------------------------------------------------------------------------------------


def portfolio_counts() -> dict[str, int]:
    """How many records each portfolio table holds."""
    return {m._meta.model_name: m.objects.count() for m in PORTFOLIO_MODELS}


def portfolio_is_empty() -> bool:
    """True when no information system, project, interface or budget line exists yet.

    Organizations and platforms alone do not count: an import may have loaded them, and the generator
    reuses them by code.
    """
    return not any(m.objects.exists() for m in (InformationSystem, Project, Interface, BudgetLine))


def is_demo_database() -> bool:
    """True when the demo generator filled this database: its audit batch (source `demo`) is the marker.

    Every generated record gets a create row from the demo actor, and nothing else writes that source, so a
    database that real data was imported into or entered in by hand is never taken for a demo.
    """
    return ObjectChange.objects.filter(source=ChangeSource.DEMO).exists()


# --- Writes ----------------------------------------------------------------------------------------------


def demo_portfolio_delete(*, progress: Progress | None = None) -> dict[str, int]:
    """Delete all portfolio data and its audit rows; returns the number deleted per model label.

    Portfolio data is every record of every app but accounts, roles, notifications and the trail itself:
    organizations, systems, budgets and also reviews, plans, reporting campaigns, … — records that
    protect others from deletion go first. Organizations that accounts still point at (a user's role)
    are kept, with their ancestors, so people keep their scope; the next run reuses them by code.
    """
    deleted: Counter[str] = Counter()
    kept = _organizations_in_use()
    done: set[type[models.Model]] = set()

    def purge(model: type[models.Model]) -> None:
        if model in done:
            return
        done.add(model)
        for rel in _reverse_relations(model):
            if rel.on_delete in (models.PROTECT, models.RESTRICT) and _is_portfolio(rel.related_model):
                purge(rel.related_model)
        if model is Organization:
            # Children before parents: the tree protects a parent from deletion.
            for level in reversed(_organization_levels(exclude=kept)):
                deleted.update(Organization.objects.filter(pk__in=level).delete()[1])
        else:
            deleted.update(model.objects.all().delete()[1])

    portfolio = PORTFOLIO_MODELS + [m for m in apps.get_models() if _is_portfolio(m) and m not in PORTFOLIO_MODELS]
    try:
        with transaction.atomic():
            for model in portfolio:
                purge(model)
            cts = [ContentType.objects.get_for_model(m) for m in portfolio]
            trail = ObjectChange.objects.filter(Q(changed_object_type__in=cts) | Q(related_object_type__in=cts))
            org_ct = ContentType.objects.get_for_model(Organization)
            deleted["core.ObjectChange"] = trail.exclude(
                changed_object_type=org_ct, changed_object_id__in=kept
            ).delete()[0]
    except ProtectedError as exc:
        blockers = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
        raise ApplicationError(
            f"他のデータ（{'、'.join(blockers)}）が参照しているため、ポートフォリオを削除できません",
            f"The portfolio cannot be deleted: other records refer to it ({', '.join(blockers)})",
        ) from exc
    if progress:
        shown = ", ".join(f"{label.split('.')[-1]} {n:,}" for label, n in deleted.items() if n)
        progress(f"削除 / deleted: {shown or '-'}" + (f" (kept {len(kept)} organizations in use)" if kept else ""))
    return dict(deleted)


# Apps whose records are not portfolio data: reset never deletes them, and keeps what they point at.
_NON_PORTFOLIO_APPS = {"auth", "contenttypes", "sessions", "admin", "core"}


# Controlled vocabularies loaded by a data migration: reference data, not portfolio data, so reset keeps them.
_REFERENCE_MODELS = {BusinessFunction, BusinessArea}


def _is_portfolio(model: type[models.Model]) -> bool:
    return (model._meta.app_label not in _NON_PORTFOLIO_APPS and not model._meta.proxy and model._meta.managed
            and model not in _REFERENCE_MODELS)


def _reverse_relations(model: type[models.Model]) -> list:
    """Foreign keys pointing at `model`, including those hidden with `related_name="+"`."""
    return [f for f in model._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]


def _organizations_in_use() -> set[int]:
    """Organizations that non-portfolio records (user roles) point at, with all their ancestors."""
    ids: set[int] = set()
    for rel in _reverse_relations(Organization):
        if rel.related_model._meta.app_label in _NON_PORTFOLIO_APPS and rel.on_delete in (
            models.PROTECT, models.RESTRICT
        ):
            ids.update(v for v in rel.related_model.objects.values_list(rel.field.attname, flat=True) if v)
    parents = dict(Organization.objects.values_list("id", "parent_id"))
    for pk in list(ids):
        while parents.get(pk):
            pk = parents[pk]
            ids.add(pk)
    return ids


def _organization_levels(*, exclude: set[int]) -> list[list[int]]:
    """Organization IDs grouped by depth in the tree (roots first), leaving out `exclude`."""
    parents = dict(Organization.objects.values_list("id", "parent_id"))

    def depth(pk: int) -> int:
        n = 0
        while parents.get(pk):
            pk, n = parents[pk], n + 1
        return n

    levels: dict[int, list[int]] = {}
    for pk in parents:
        if pk not in exclude:
            levels.setdefault(depth(pk), []).append(pk)
    return [levels[d] for d in sorted(levels)]


def demo_portfolio_generate(
    *, systems: int = DEFAULT_SYSTEMS, seed: int = DEFAULT_SEED, reset: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Generate the demo portfolio; refuses if portfolio data exists unless `reset` deletes it first.

    All-or-nothing: the deletion and the whole generation run in one transaction.
    """
    if not 0 <= systems <= MAX_SYSTEMS:
        raise ApplicationError(
            f"システム数は0以上{MAX_SYSTEMS:,}以下で指定してください（指定値: {systems}）",
            f"The number of systems must be between 0 and {MAX_SYSTEMS:,} (got {systems})",
        )
    started = time.perf_counter()
    with roomy_cache(), transaction.atomic():
        if reset:
            demo_portfolio_delete(progress=progress)
        elif not portfolio_is_empty():
            counts = portfolio_counts()
            raise ApplicationError(
                f"ポートフォリオには既にデータがあります（情報システム{counts['informationsystem']:,}件、"
                f"予算{counts['budgetline']:,}件）。削除して作り直すには --reset を、"
                "データがあるときに何もしないには --if-empty を指定してください",
                f"The portfolio already holds data ({counts['informationsystem']:,} systems, "
                f"{counts['budgetline']:,} budget lines). Use --reset to delete it and generate again, "
                "or --if-empty to do nothing when data exists",
            )
        summary = _Writer(seed=seed, progress=progress).run(systems)
    demo_reference_date_forget()
    summary.elapsed_seconds = time.perf_counter() - started
    return summary


def demo_password_hash() -> str:
    """The demo password's hash: the one kept with the demo data while it is what the configured default
    hasher would make (same algorithm and work factor), else a new one."""
    hasher = get_hasher()
    if data.DEMO_PASSWORD_HASH.partition("$")[0] == hasher.algorithm and not hasher.must_update(data.DEMO_PASSWORD_HASH):
        return data.DEMO_PASSWORD_HASH
    return make_password(data.DEMO_PASSWORD)


def demo_users_ensure(*, actor: Actor | None = None,
                      time: datetime.datetime | None = None) -> list[tuple[data.DemoUser, bool]]:
    """Make sure the demo logins exist; returns each with whether it still has the demo password.

    Existing accounts keep their password (it is never reset); each gets its role and organization once
    the demo organizations exist, so the role scopes what the person sees.
    """
    from mieruka.core.models import UserRole

    User = get_user_model()
    # Accounts and roles are access: audited like any change, in the generator's batch when it makes them.
    actor = actor or Actor(user=None, name=DEMO_ACTOR_NAME, source=ChangeSource.DEMO)
    orgs = {o.code: o for o in Organization.objects.filter(code__in=[s.organization_code for s in data.DEMO_USERS])}
    out = []
    # Hashing a password is slow on purpose (about 0.3 s); the demo people share one password, whose hash
    # is kept with the demo data and given to each new account.
    hashed = None
    with transaction.atomic():
        for spec in data.DEMO_USERS:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                email = spec.email or f"{spec.username}@demo.mieruka.example"
                create = User.objects.create_superuser if spec.superuser else User.objects.create_user
                user = create(spec.username, email, None)
                user.password = hashed = hashed or demo_password_hash()
                user.save(update_fields=["password"])
                audit_record(actor=actor, action=ChangeAction.CREATE, instance=user, before=None,
                             after=serialize_object(user), reason=REASON_DEMO_LOGIN, time=time)
                out.append((spec, True))
            else:
                out.append((spec, user.check_password(data.DEMO_PASSWORD)))
            org = orgs.get(spec.organization_code)
            if org is not None and not UserRole.objects.filter(user=user).exists():
                role = UserRole.objects.create(user=user, role=spec.role, organization=org,
                                               clearance=spec.role in ("admin", "analyst", "reviewer"),
                                               request_arbiter=spec.request_arbiter)
                audit_record(actor=actor, action=ChangeAction.CREATE, instance=role, before=None,
                             after=serialize_object(role), reason=REASON_DEMO_LOGIN, time=time)
    return out


# --- The writer ------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _at(day: datetime.date) -> datetime.datetime:
    """A trail time: 09:00 in the portfolio's time zone on `day`, never after the demo's today."""
    day = min(day, planning.AS_OF)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)), timezone.get_default_timezone())


def _json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class _Writer:
    def __init__(self, *, seed: int, progress: Progress | None):
        self.seed = seed
        self.progress = progress or (lambda message: None)
        # One batch per seed: a regenerated demo has the same trail, down to its batch ID.
        self.actor = Actor(user=None, name=DEMO_ACTOR_NAME, source=ChangeSource.DEMO,
                           request_id=uuid.uuid5(_BATCH_NAMESPACE, f"demo:{seed}"))
        self.rows: list[ObjectChange] = []
        self.summary = DemoSummary()
        self.cts: dict[type, ContentType] = {}
        self.step = 0
        self.clock = (time.perf_counter(), time.process_time())

    def report(self, label: str, count: int, extra: str = "") -> None:
        # Processor time beside wall time: on a busy machine only the former compares between runs.
        self.step += 1
        now = (time.perf_counter(), time.process_time())
        self.progress(f"[{self.step}/{6 + len(EXTENSIONS)}] {label}: {count:,}{extra} — {now[0] - self.clock[0]:.1f}s"
                      f" ({now[1] - self.clock[1]:.2f}s CPU)")
        self.clock = now

    # -- audit --

    def ct(self, model) -> ContentType:
        if model not in self.cts:
            self.cts[model] = ContentType.objects.get_for_model(model, for_concrete_model=True)
        return self.cts[model]

    def audit(self, instance, *, on: datetime.date, after: dict | None, before: dict | None = None,
              action: str = ChangeAction.CREATE, reason: str = REASON_CREATE, related=None,
              object_repr: str | None = None) -> None:
        self.audit_row(model=type(instance), pk=instance.pk, on=on, after=after, before=before, action=action,
                       reason=reason, related_model=type(related) if related is not None else None,
                       related_pk=related.pk if related is not None else None,
                       object_repr=object_repr or str(instance))

    def audit_row(self, *, model, pk: int, on: datetime.date, after: dict | None, before: dict | None = None,
                  action: str = ChangeAction.CREATE, reason: str = REASON_CREATE, related_model=None,
                  related_pk: int | None = None, object_repr: str) -> None:
        """Queue one trail row (the same columns `mieruka.core.audit` writes), dated 09:00 on `on`."""
        self.rows.append((
            _at(on), None, self.actor.name, self.actor.request_id, self.actor.source, action, self.ct(model).pk,
            pk, self.ct(related_model).pk if related_model is not None else None, related_pk,
            object_repr[:200], before, after, reason,
        ))

    def flush(self) -> int:
        rows_insert(ObjectChange, TRAIL_COLUMNS, self.rows)
        n = len(self.rows)
        self.summary.audit_rows += n
        self.rows = []
        return n

    # -- phases --

    def run(self, n: int) -> DemoSummary:
        org_plans = planning.plan_organizations()
        orgs = self.write_organizations(org_plans)
        platforms = self.write_platforms()
        system_plans = SystemPlanner(seed=self.seed, orgs=org_plans).plan(n)
        systems = self.write_systems(system_plans, orgs, platforms)
        self.write_projects(relations.plan_projects(system_plans, {o.code: o for o in org_plans}, self.seed),
                            orgs, systems)
        self.write_interfaces(relations.plan_interfaces(system_plans, self.seed), systems)
        self.write_budgets(system_plans, systems)
        # Oversight and reporting data assign reviewers and PJMOs, so the demo people must exist first.
        demo_users_ensure(actor=self.actor, time=_at(planning.AS_OF))
        for path in EXTENSIONS:
            counts = import_string(path)(rng=planning.stream(self.seed, path), actor=self.actor, today=planning.AS_OF)
            self.summary.extra.update(counts)
            self.report(path.rsplit(".", 1)[-1], sum(counts.values()))
        if EXTENSIONS:
            self.summary.audit_rows = ObjectChange.objects.filter(request_id=self.actor.request_id).count()
        return self.summary

    def write_organizations(self, plans: list[planning.OrgPlan]) -> dict[str, Organization]:
        by_code = {o.code: o for o in Organization.objects.filter(code__in=[p.code for p in plans])}
        reused = len(by_code)
        created = []
        for depth in sorted({p.depth for p in plans}):
            batch = []
            for p in plans:
                if p.depth != depth or p.code in by_code:
                    continue
                org = Organization(code=p.code, name_ja=p.name_ja, name_en=p.name_en, kind=p.kind,
                                   parent=by_code.get(p.parent) if p.parent else None, order=p.order,
                                   corporate_number=p.corporate_number,
                                   local_government_code=p.local_government_code)
                org.full_clean(exclude=["parent"], validate_unique=False, validate_constraints=False)
                batch.append((p, org))
            Organization.objects.bulk_create([o for _, o in batch])
            for p, org in batch:
                by_code[p.code] = org
                created.append((p, org))
        for p, org in created:
            self.audit(org, on=p.created_on, after=serialize_object(org))
        self.flush()
        self.summary.organizations = len(created)
        self.summary.organizations_reused = reused
        self.report("組織 / organizations", len(created), f" (reused {reused})" if reused else "")
        return by_code

    def write_platforms(self) -> dict[str, SharedPlatform]:
        by_code = {p.code: p for p in SharedPlatform.objects.filter(code__in=[c for c, *_ in data.PLATFORMS])}
        new = [SharedPlatform(code=c, name_ja=ja, name_en=en, description=d)
               for c, ja, en, d in data.PLATFORMS if c not in by_code]
        SharedPlatform.objects.bulk_create(new)
        for p in new:
            by_code[p.code] = p
            self.audit(p, on=planning.BASELINE, after=serialize_object(p))
        self.flush()
        self.summary.platforms = len(new)
        self.report("共通基盤 / shared platforms", len(new))
        return by_code

    def write_systems(self, plans: list[planning.SystemPlan], orgs: dict[str, Organization],
                      platforms: dict[str, SharedPlatform]) -> dict[str, InformationSystem]:
        objs = []
        for p in plans:
            obj = InformationSystem(
                system_id=p.system_id, name_ja=p.name_ja, name_en=p.name_en, organization=orgs[p.owner],
                classification=p.classification, status=p.status, purpose=p.purpose, functions=p.functions,
                users=p.users, annual_users=p.annual_users, hosting=p.hosting, important=p.important,
                started_on=p.started_on, retired_on=p.retired_on, internal_notes=p.internal_notes,
                **planning.dashboard_classes(p),
            )
            obj.full_clean(exclude=["organization"], validate_unique=False, validate_constraints=False)
            objs.append(obj)
        instances_create(objs)
        m2m = InformationSystem._meta.get_field("platforms")
        through = m2m.remote_field.through
        src, dst = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        instances_insert([through(**{src: obj.pk, dst: platforms[code].pk})
                          for p, obj in zip(plans, objs, strict=True) for code in p.platforms])
        # Business-function tags as a person would confirm them after registering: the suggestions.
        functions = {f.code: f.pk for f in BusinessFunction.objects.all()}
        tags = InformationSystem.function_tags.through
        instances_insert([tags(informationsystem_id=obj.pk, businessfunction_id=functions[code])
                          for p, obj in zip(plans, objs, strict=True)
                          for code in suggest_functions(name=p.name_ja, purpose=p.purpose, functions=p.functions)
                          if code in functions])
        prefetch_related_objects(objs, "platforms", "function_tags")
        by_id = {}
        history = 0
        for p, obj in zip(plans, objs, strict=True):
            by_id[p.system_id] = obj
            history += self._system_trail(p, obj, orgs, platforms)
        self.flush()
        self.summary.systems = len(objs)
        migrated = sum(1 for p in plans if any(e.reason == planning.REASON_MIGRATION for e in p.events))
        self.report("情報システム / systems", len(objs),
                    f" ({history:,} backdated changes, {migrated:,} moved to the government cloud)")
        return by_id

    def _system_trail(self, p: planning.SystemPlan, obj: InformationSystem, orgs, platforms) -> int:
        """The create row as the system first stood, then one update row per backdated change."""

        def to_json(old: dict) -> dict:
            out = {}
            for key, value in old.items():
                if key == "platforms":
                    out[key] = sorted(platforms[c].pk for c in value)
                elif key == "organization":
                    out[key] = orgs[value].pk
                else:
                    out[key] = _json(value)
            return out

        after = serialize_object(obj)
        steps = []
        for event in reversed(p.events):
            before = {**after, **to_json(event.old)}
            steps.append((event, before, after))
            after = before
        self.audit(obj, on=p.registered, after=after, object_repr=f"{p.system_id} {after['name_ja']}")
        for event, before, state in reversed(steps):
            self.audit(obj, on=event.on, before=before, after=state, action=ChangeAction.UPDATE,
                       reason=event.reason, object_repr=f"{p.system_id} {state['name_ja']}")
        return len(steps)

    def write_projects(self, plans: list[relations.ProjectPlan], orgs: dict[str, Organization],
                       systems: dict[str, InformationSystem]) -> None:
        objs = []
        for p in plans:
            name, target, actual = p.kpi
            obj = Project(
                project_id=p.project_id, name_ja=p.name_ja, organization=orgs[p.owner], phase=p.phase,
                purpose=p.purpose, important=p.important, starts_on=p.starts_on, ends_on=p.ends_on,
                pjmo_staff=Decimal(f"{p.pjmo_staff:.2f}") if p.pjmo_staff is not None else None,
                pjmo_external=Decimal(f"{p.pjmo_external:.2f}") if p.pjmo_external is not None else None,
                kpi_name=name, kpi_target=target, kpi_actual=actual,
                reporting_frequency=_reporting_frequency(p),
            )
            obj.full_clean(exclude=["organization"], validate_unique=False, validate_constraints=False)
            objs.append(obj)
        instances_create(objs)
        m2m = Project._meta.get_field("systems")
        through = m2m.remote_field.through
        src, dst = f"{m2m.m2m_field_name()}_id", f"{m2m.m2m_reverse_field_name()}_id"
        instances_insert([through(**{src: obj.pk, dst: systems[s.system_id].pk})
                          for p, obj in zip(plans, objs, strict=True) for s in p.systems])
        prefetch_related_objects(objs, "systems")
        for p, obj in zip(plans, objs, strict=True):
            self.audit(obj, on=p.registered, after=serialize_object(obj))
        self.flush()
        self.summary.projects = len(objs)
        self.report("プロジェクト / projects", len(objs))

    def write_interfaces(self, plans: list[relations.InterfacePlan], systems: dict[str, InformationSystem]) -> None:
        objs = [Interface(from_system=systems[p.source.system_id], to_system=systems[p.target.system_id],
                          kind=p.kind, description=p.description) for p in plans]
        instances_create(objs)
        for p, obj in zip(plans, objs, strict=True):
            self.audit(obj, on=p.registered, after=serialize_object(obj), related=obj.from_system)
        self.flush()
        self.summary.interfaces = len(objs)
        self.report("連携 / interfaces", len(objs))

    def write_budgets(self, plans: list[planning.SystemPlan], systems: dict[str, InformationSystem]) -> None:
        # Tens of thousands of rows: written without model instances, with keys reserved beforehand.
        rng = planning.stream(self.seed, "budgets")
        planned = [(p, systems[p.system_id].pk, r) for p in plans for r in planning.plan_budget(p, rng)]
        now = timezone.now()
        keys = keys_reserve(BudgetLine, len(planned))
        rows_insert(BudgetLine, ["id", "system", "fiscal_year", "category", "stage", "appropriation", "amount_yen",
                                 "created", "last_updated"],
                    [(pk, system_pk, r.fiscal_year, r.category, r.stage, r.appropriation, r.amount_yen, now, now)
                     for pk, (_p, system_pk, r) in zip(keys, planned, strict=True)])
        if len(planned) >= PROGRESS_ROWS:
            self.progress(f"      予算 / budget lines: {len(planned):,} written, auditing them …")
        for pk, (p, system_pk, r) in zip(keys, planned, strict=True):
            on, amount, system_id = max(r.on, p.registered), r.amount_yen, p.system_id
            fy, category, stage, appropriation = r.fiscal_year, r.category, r.stage, r.appropriation
            self.audit_row(
                model=BudgetLine, pk=pk, on=on, related_model=InformationSystem, related_pk=system_pk,
                after={"system": system_pk, "fiscal_year": fy, "category": category, "stage": stage,
                       "appropriation": appropriation, "amount_yen": amount},
                object_repr=budget_line_repr(system_id, fy, category, stage),
            )
        self.flush()
        self.summary.budget_lines = len(planned)
        self.report("予算 / budget lines", len(planned))

