"""Reads of the audit trail: change lists, one record's history, and records as they stood on a date."""

import datetime
from time import monotonic

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from .choices import ChangeSource
from .models import ObjectChange


def change_list() -> QuerySet[ObjectChange]:
    return ObjectChange.objects.select_related("user", "changed_object_type")


def changes_readable_by(queryset: QuerySet[ObjectChange], *, user) -> QuerySet[ObjectChange]:
    """`queryset` without the changes to restricted models (`permissions.RESTRICTED_MODELS`) unless the
    person may read such records; scope is applied by the caller."""
    from .permissions import RESTRICTED_MODELS, can_read_restricted_records

    if not RESTRICTED_MODELS or can_read_restricted_records(user):
        return queryset
    restricted = Q()
    for label in sorted(RESTRICTED_MODELS):
        app_label, model = label.split(".")
        restricted |= Q(changed_object_type__app_label=app_label, changed_object_type__model=model)
    return queryset.exclude(restricted)


def change_list_for_user(*, user):
    """The changes a user may read: everything for portfolio-wide roles; for ministry roles, changes to
    records their organization subtree owns (or owned before or after the change), to those
    organizations themselves, and to records filed under their systems (budget lines, interfaces)."""
    from mieruka.inventory.models import InformationSystem
    from mieruka.organizations.models import Organization

    from .permissions import visible_organization_ids

    queryset = changes_readable_by(change_list(), user=user)
    ids = visible_organization_ids(user)
    if ids is None:
        return queryset
    ids = sorted(ids)
    organization_ct = ContentType.objects.get_for_model(Organization)
    system_ct = ContentType.objects.get_for_model(InformationSystem)
    owned = Q(prechange_data__organization__in=ids) | Q(postchange_data__organization__in=ids)
    # Systems the subtree owns now, or owned at a recorded time and that no longer exist (so a deleted
    # system's lines still show). A system handed over to another organization is theirs: its later
    # budget lines and interfaces are not the former owner's to read.
    system_ids = set(InformationSystem.objects.filter(organization__in=ids).values_list("pk", flat=True))
    formerly_owned = set(
        ObjectChange.objects.filter(owned, changed_object_type=system_ct).values_list(
            "changed_object_id", flat=True
        )
    )
    existing = set(InformationSystem.objects.filter(pk__in=formerly_owned).values_list("pk", flat=True))
    system_ids |= formerly_owned - existing
    return queryset.filter(
        owned
        | Q(changed_object_type=organization_ct, changed_object_id__in=ids)
        | Q(related_object_type=system_ct, related_object_id__in=sorted(system_ids))
    )


def object_history(*, instance, include_related: bool = True) -> QuerySet[ObjectChange]:
    """Changes to a record and, if asked, to records that point at it (budget lines, interfaces).

    A record filed under a parent (a budget line under its system) also has the grouped changes of that
    parent that list it.
    """
    ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    q = Q(changed_object_type=ct, changed_object_id=instance.pk)
    if include_related:
        q |= Q(related_object_type=ct, related_object_id=instance.pk)
    parent = getattr(instance, "audit_related_object", lambda: None)()
    if parent is not None:
        grouped = ObjectChange.objects.filter(
            changed_object_type=ct, changed_object_id=ObjectChange.GROUPED,
            related_object_type=ContentType.objects.get_for_model(parent, for_concrete_model=True),
            related_object_id=parent.pk,
        )
        q |= Q(pk__in=[c.pk for c in grouped if any(pk == instance.pk for pk, _, _ in c.records())])
    return change_list().filter(q)


def _end_of(when: datetime.date | datetime.datetime) -> datetime.datetime:
    """A date means the end of that day in the portfolio's time zone."""
    from django.utils import timezone

    if isinstance(when, datetime.datetime):
        return when
    return timezone.make_aware(datetime.datetime.combine(when, datetime.time.max))


def object_state_as_of(*, model, pk: int, when: datetime.date | datetime.datetime) -> dict | None:
    """A record's field values as they stood at `when`, rebuilt from the trail; None if it did not exist.

    For records with a parent of their own (budget lines), use `related_states_as_of`, which also reads the
    grouped changes an import writes.
    """
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    last = (
        ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=pk, time__lte=_end_of(when))
        .order_by("-time", "-id")
        .first()
    )
    return None if last is None else last.postchange_data


def related_states_as_of(*, instance, model, when: datetime.date | datetime.datetime) -> dict[int, dict]:
    """Every `model` record pointing at `instance` that existed at `when`, keyed by primary key.

    Used to show a system's budget lines and interfaces as they stood on a date. Changes are replayed in
    the order they were made, grouped ones record by record.
    """
    parent_ct = ContentType.objects.get_for_model(instance, for_concrete_model=True)
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    changes = (
        ObjectChange.objects.filter(
            changed_object_type=ct, related_object_type=parent_ct, related_object_id=instance.pk,
            time__lte=_end_of(when),
        )
        .order_by("time", "id")
        .only("changed_object_id", "prechange_data", "postchange_data")
    )
    states: dict[int, dict] = {}
    for change in changes:
        for pk, _, after in change.records():
            if after is None:
                states.pop(pk, None)
            else:
                states[pk] = after
    return states


def field_changes(*, model, field: str, pks=None, since: datetime.datetime | None = None) -> dict[int, list[tuple]]:
    """The recorded updates that changed one field, per record, oldest first: {pk: [(time, before, after)]}.

    Lets a figure about the past (hosting per fiscal year, say) use what each record held then, not what it
    holds now. `pks` (a list or a subquery of primary keys) limits the records, `since` the time. One query;
    the field's values are extracted by the database, not whole snapshots loaded.
    """
    from django.db.models.fields.json import KT

    from .choices import ChangeAction

    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    rows = (
        ObjectChange.objects.filter(changed_object_type=ct, action=ChangeAction.UPDATE)
        .annotate(before=KT(f"prechange_data__{field}"), after=KT(f"postchange_data__{field}"))
        .order_by("changed_object_id", "time", "id")
        .values_list("changed_object_id", "time", "before", "after")
    )
    if pks is not None:
        rows = rows.filter(changed_object_id__in=pks)
    if since is not None:
        rows = rows.filter(time__gte=since)
    out: dict[int, list[tuple]] = {}
    for pk, time, before, after in rows:
        if before != after:
            out.setdefault(pk, []).append((time, before, after))
    return out


def portfolio_headline(*, fiscal_year: int, organization_ids: set[int] | None = None) -> dict:
    """The home page's figures: counts, this fiscal year's initial budget by category, cloud share.

    `organization_ids` limits every figure to those organizations (a ministry role's scope); None is all."""
    from django.db.models import Count, Sum

    from mieruka.budgets.models import BudgetLine
    from mieruka.inventory.models import InformationSystem
    from mieruka.organizations.models import Organization

    systems = InformationSystem.objects.all()
    lines = BudgetLine.objects.filter(fiscal_year=fiscal_year, stage="initial")
    organizations = Organization.objects.all()
    if organization_ids is not None:
        systems = systems.filter(organization_id__in=organization_ids)
        lines = lines.filter(system__organization_id__in=organization_ids)
        organizations = organizations.filter(pk__in=organization_ids)
    active = systems.exclude(status="retired")
    by_hosting = dict(active.values_list("hosting").annotate(n=Count("id")).order_by())
    total_systems = sum(by_hosting.values())
    budget = dict(
        lines.values_list("category").annotate(total=Sum("amount_yen")).order_by()
    )
    cloud_budget = (
        lines.filter(system__hosting="government_cloud")
        .aggregate(total=Sum("amount_yen"))["total"] or 0
    )
    development, operation = budget.get("development", 0) or 0, budget.get("operation", 0) or 0
    cloud_systems = by_hosting.get("government_cloud", 0)
    return {
        "systems": total_systems,
        "ministries": organizations.filter(kind__in=["ministry", "digital_agency"]).count(),
        "organizations": organizations.count(),
        "budget_development": development,
        "budget_operation": operation,
        "budget_total": development + operation,
        "cloud_systems": cloud_systems,
        "cloud_share": (cloud_systems / total_systems * 100) if total_systems else 0.0,
        "cloud_budget_share": (cloud_budget / (development + operation) * 100) if development + operation else 0.0,
    }


def saved_views_of(*, owner, list_name: str):
    """The person's saved views of one list, by name."""
    from .models import SavedView

    return SavedView.objects.filter(owner=owner, list_name=list_name).order_by("name", "id")


# The demo's reference date is read on every page (the footer) but changes only when the demo is generated
# again: each process keeps it for a minute rather than scanning the trail on each request.
_DEMO_DATE_SECONDS = 60.0
_demo_date_memo: list = []  # [(monotonic time read, date or None)]


def demo_reference_date() -> datetime.date | None:
    """The day the demo portfolio stands on (its newest demo audit row), or None on a database the demo
    generator did not fill. Pages show it, so dates in the demo (due, overdue, last confirmed) read right."""
    now = monotonic()
    if _demo_date_memo and (_demo_date_memo[0][0] == float("inf") or now - _demo_date_memo[0][0] < _DEMO_DATE_SECONDS):
        return _demo_date_memo[0][1]
    newest = ObjectChange.objects.filter(source=ChangeSource.DEMO).aggregate(t=Max("time"))["t"]
    day = timezone.localtime(newest).date() if newest else None
    _demo_date_memo[:] = [(now, day)]
    return day


def demo_reference_date_forget() -> None:
    """Drop this process's copy of the demo date (after the demo is generated or deleted)."""
    _demo_date_memo.clear()


def demo_reference_date_assume(day: datetime.date | None) -> None:
    """Take `day` as this process's demo date until it is forgotten (tests: a database known not to be one)."""
    _demo_date_memo[:] = [(float("inf"), day)]
