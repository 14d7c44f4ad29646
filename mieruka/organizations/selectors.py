from collections import defaultdict

from django.db.models import Q, QuerySet

from mieruka.core.errors import english_is_active

from .choices import OrganizationKind
from .models import Organization


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.select_related("parent").order_by("order", "code")


def organization_subtree_ids(*, organization: Organization) -> list[int]:
    """IDs of an organization and all its descendants.

    Organizations number in the low thousands, so one query for the whole (id, parent) table and a walk
    in Python beats a recursive query that SQLite and PostgreSQL would each spell differently.
    """
    children = defaultdict(list)
    for pk, parent_id in Organization.objects.values_list("id", "parent_id"):
        children[parent_id].append(pk)
    result, stack = [], [organization.pk]
    while stack:
        pk = stack.pop()
        result.append(pk)
        stack.extend(children.get(pk, ()))
    return result


def organization_subtree_filter(queryset: QuerySet, *, code: str, fields: tuple[str, ...]) -> QuerySet:
    """The rows whose organization, through any of `fields` (e.g. `"system__organization_id"`), is the
    one with `code` or below it. An unknown code matches nothing: a shared link to a renamed or removed
    organization must not quietly show everything."""
    organization = Organization.objects.filter(code=code).first()
    if organization is None:
        return queryset.none()
    ids = organization_subtree_ids(organization=organization)
    match = Q()
    for field in fields:
        match |= Q(**{f"{field}__in": ids})
    return queryset.filter(match)


def organization_ancestors(*, organization: Organization) -> list[Organization]:
    """The chain from the top-level organization down to (not including) this one."""
    chain, current = [], organization.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def organization_choices_tree() -> list[tuple[int, str]]:
    """(id, indented label) in tree order, for select boxes that filter by subtree."""
    orgs = list(Organization.objects.order_by("order", "code").values("id", "parent_id", "name_ja", "name_en"))
    english = english_is_active()
    children = defaultdict(list)
    for o in orgs:
        children[o["parent_id"]].append(o)
    out = []

    def walk(parent_id, depth):
        for o in children.get(parent_id, ()):
            out.append((o["id"], "　" * depth + ((english and o["name_en"]) or o["name_ja"])))
            walk(o["id"], depth + 1)

    walk(None, 0)
    return out


def organization_get(*, code: str) -> Organization:
    """One organization by its code, with its parent and children loaded (404 if unknown)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Organization.objects.select_related("parent").prefetch_related("children"), code=code
    )


def organization_tree(*, organizations: list[Organization] | None = None) -> list[tuple[Organization, int]]:
    """(organization, depth) in tree order: 建制順 among siblings, children under their parent.

    Organizations whose parent is outside the given list are shown as roots, so a filtered list stays a
    forest rather than losing rows.
    """
    if organizations is None:
        organizations = list(organization_list())
    present = {o.pk for o in organizations}
    children = defaultdict(list)
    for o in organizations:
        children[o.parent_id if o.parent_id in present else None].append(o)
    out: list[tuple[Organization, int]] = []

    def walk(parent_id, depth):
        for o in children.get(parent_id, ()):
            out.append((o, depth))
            walk(o.pk, depth + 1)

    # Unnumbered organizations (bureaus, divisions) follow numbered siblings on every database.
    for siblings in children.values():
        siblings.sort(key=lambda o: (o.order is None, o.order or 0, o.code))
    walk(None, 0)
    return out


def organization_overview_rows(*, fiscal_year: int) -> list[dict]:
    """The organizations list: tree order, depth, systems owned (own and subtree), subtree initial budget.

    Three queries whatever the number of organizations: the organizations, system counts per
    organization, and budget totals per organization; subtree sums are rolled up in Python.
    """
    from django.db.models import Count

    from mieruka.budgets.selectors import budget_totals_by_organization
    from mieruka.inventory.models import InformationSystem

    tree = organization_tree()
    own_systems = dict(
        InformationSystem.objects.order_by().values("organization_id").annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )
    own_budget = budget_totals_by_organization(fiscal_year=fiscal_year)
    children = defaultdict(list)
    for o, _depth in tree:
        children[o.parent_id].append(o.pk)

    subtree_systems: dict[int, int] = {}
    subtree_budget: dict[int, int | None] = {}

    def roll_up(pk: int) -> None:
        n, b = own_systems.get(pk, 0), own_budget.get(pk)
        for child in children.get(pk, ()):
            roll_up(child)
            n += subtree_systems[child]
            if subtree_budget[child] is not None:
                b = (b or 0) + subtree_budget[child]
        subtree_systems[pk], subtree_budget[pk] = n, b

    for o, depth in tree:
        if depth == 0:
            roll_up(o.pk)
    return [
        {"organization": o, "depth": depth, "indent": range(depth), "own_systems": own_systems.get(o.pk, 0),
         "subtree_systems": subtree_systems.get(o.pk, 0), "budget": subtree_budget.get(o.pk)}
        for o, depth in tree
    ]


def organization_code_choices_tree() -> list[tuple[str, str]]:
    """(code, indented name) in tree order, for filters whose URLs should stay readable (?organization=MHLW).

    Municipalities (a local government under another, its prefecture) are left out: the prefecture stands
    for them, and `filters.OrganizationCodeFilter` still accepts their codes."""
    english = english_is_active()
    local = OrganizationKind.LOCAL_GOVERNMENT
    # Left out in the query, not after it: every list page builds this select, and reading the 1,741
    # municipalities only to drop them was a fifth of those pages' time.
    shown = list(Organization.objects.exclude(kind=local, parent__kind=local).order_by("order", "code").only(
        "id", "code", "name_ja", "name_en", "parent_id", "order", "kind"))
    return [(o.code, "　" * depth + ((english and o.name_en) or o.name_ja))
            for o, depth in organization_tree(organizations=shown)]


def supervising_ministry_of(*, organization: Organization, parents: dict[int, Organization] | None = None):
    """The 所管府省 of a 独法 or 特殊法人: the nearest ministry above it in the tree; None for other kinds.

    A 独法 sits directly under its supervising ministry in the organization tree, so the tree parent is the
    relation (no second link to keep in step); co-supervision (共管) is recorded under the lead ministry.
    """
    if organization.kind not in (OrganizationKind.INDEPENDENT_AGENCY, OrganizationKind.SPECIAL_CORPORATION):
        return None
    current = organization.parent if parents is None else parents.get(organization.parent_id)
    seen = set()
    while current is not None and current.pk not in seen:
        if current.kind in (OrganizationKind.MINISTRY, OrganizationKind.DIGITAL_AGENCY):
            return current
        seen.add(current.pk)
        current = current.parent if parents is None else parents.get(current.parent_id)
    return None


# Owners that portfolio charts show as one group rather than one bar each: about 1,741 local governments
# and some eighty 独法 would otherwise crowd out the ministries. 特殊法人 (日本年金機構) go with the 独法.
ENTITY_GROUP_KINDS = {
    "independent_agency": "independent_agency",
    "special_corporation": "independent_agency",
    "local_government": "local_government",
}
ENTITY_GROUPS = ("independent_agency", "local_government")


def entity_groups(nodes: dict[int, tuple[int | None, str]]) -> dict[int, tuple[str, int]]:
    """Organization id → (group, owning entity's id) for organizations in a group: the nearest of itself and
    its ancestors that is a 独法, 特殊法人 or local government. Others (the national government) are absent.

    `nodes` is id → (parent id, kind), the whole table: a pure walk, shared by the charts and the list filter
    so a grouped bar and the list it links to count the same systems.
    """
    out: dict[int, tuple[str, int]] = {}
    for pk in nodes:
        current, seen = pk, set()
        while current is not None and current not in seen:
            seen.add(current)
            parent, kind = nodes[current]
            if kind in ENTITY_GROUP_KINDS:
                out[pk] = (ENTITY_GROUP_KINDS[kind], current)
                break
            current = parent
    return out


def organization_entity_groups() -> dict[int, tuple[str, int]]:
    """`entity_groups` of every organization (one query over the organization table)."""
    return entity_groups({pk: (parent, kind) for pk, parent, kind in
                          Organization.objects.values_list("id", "parent_id", "kind")})
