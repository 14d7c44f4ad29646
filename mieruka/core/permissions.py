"""Who may see and change what: roles and organization-subtree scope, applied by selectors and views.

Analysts, reviewers and administrators read the whole portfolio; ministry editors and viewers read only
their organization's subtree, and editors change only that. Restricted fields need clearance.
"""

from django.db.models import QuerySet

from .choices import Role

_ALL_READERS = {Role.ADMIN, Role.ANALYST, Role.REVIEWER}


def user_role(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    role = getattr(user, "mieruka_role", None) if _has_role_row(user) else None
    return role.role if role else None


def _has_role_row(user) -> bool:
    from .models import UserRole

    try:
        user.mieruka_role  # noqa: B018 - cached on the user after the first access
        return True
    except UserRole.DoesNotExist:
        return False


def visible_organization_ids(user) -> set[int] | None:
    """None means every organization; otherwise the set of organization IDs the user may read."""
    role = user_role(user)
    if role in _ALL_READERS:
        return None
    if role in (Role.EDITOR, Role.VIEWER):
        from mieruka.organizations.selectors import organization_subtree_ids

        return set(organization_subtree_ids(organization=user.mieruka_role.organization))
    return set()


def editable_organization_ids(user) -> set[int] | None:
    """None means every organization (administrators); otherwise the IDs the user may change."""
    role = user_role(user)
    if role == Role.ADMIN:
        return None
    if role == Role.EDITOR:
        from mieruka.organizations.selectors import organization_subtree_ids

        return set(organization_subtree_ids(organization=user.mieruka_role.organization))
    return set()


# The Digital Agency's own roles: they set its designations (重点, 区分, 一括計上) and decide proposals.
DIGITAL_AGENCY_ROLES = frozenset({Role.ADMIN, Role.ANALYST})


def is_administrator(user) -> bool:
    return user_role(user) == Role.ADMIN


def is_digital_agency(user) -> bool:
    """Whether the person speaks for the Digital Agency: administrators and portfolio analysts."""
    return user_role(user) in DIGITAL_AGENCY_ROLES


def is_request_arbiter(user) -> bool:
    """Whether the person holds the 要求制止担当 designation (a Digital Agency role with the flag set)."""
    if user_role(user) not in DIGITAL_AGENCY_ROLES or not _has_role_row(user):
        return False
    return bool(user.mieruka_role.request_arbiter)


def _operator_run(actor) -> bool:
    # A command-line or demo run without an account is the server's operator, who administers it.
    return actor.user is None and actor.source in ("cli", "demo")


def actor_is_administrator(actor) -> bool:
    """Whether the acting `Actor` (a person, or the operator at the command line) administers Mieruka."""
    return _operator_run(actor) or is_administrator(actor.user)


def actor_is_digital_agency(actor) -> bool:
    return _operator_run(actor) or is_digital_agency(actor.user)


def actor_is_request_arbiter(actor) -> bool:
    return _operator_run(actor) or is_request_arbiter(actor.user)


def scope_queryset(user, queryset: QuerySet, *, organization_field: str = "organization") -> QuerySet:
    """Limit a queryset to records whose organization the user may read."""
    ids = visible_organization_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{organization_field}__in": ids})


def can_read_organization(user, organization_id: int | None) -> bool:
    ids = visible_organization_ids(user)
    return ids is None or organization_id in ids


def can_edit_organization(user, organization_id: int | None) -> bool:
    ids = editable_organization_ids(user)
    return ids is None or organization_id in ids


def can_see_restricted(user) -> bool:
    role = user_role(user)
    if role == Role.ADMIN:
        return True
    return bool(role) and user.mieruka_role.clearance


# Fields shown only to people with clearance: security-related facts and internal notes.
RESTRICTED_FIELDS: dict[str, frozenset[str]] = {
    "inventory.informationsystem": frozenset({"internal_notes"}),
}


def hidden_fields(user, model) -> frozenset[str]:
    """The fields of `model` this person may not see (empty with clearance)."""
    if model is None or can_see_restricted(user):
        return frozenset()
    return RESTRICTED_FIELDS.get(model._meta.label_lower, frozenset())


# Models whose records as a whole are restricted (security findings, assessments): higher apps add their
# `app_label.modelname` from `AppConfig.ready()`, so core never imports them. Their records, and their rows
# in the change log and in histories, are shown only to `can_read_restricted_records` people.
RESTRICTED_MODELS: set[str] = set()


def can_read_restricted_records(user) -> bool:
    """Whether the person may read restricted records at all (still within their scope): administrators,
    cleared portfolio-wide readers (analysts, reviewers with clearance) and ministry editors (the PJMO, for
    their own subtree). Never viewers, whatever their clearance, and never anonymous visitors."""
    role = user_role(user)
    if role in (Role.ADMIN, Role.EDITOR):
        return True
    if role in (Role.ANALYST, Role.REVIEWER):
        return bool(user.mieruka_role.clearance)
    return False


def reads_everything(user) -> bool:
    return visible_organization_ids(user) is None


def organization_id_of(instance) -> int | None:
    """The owning organization of a portfolio record, following the usual paths to it."""
    from mieruka.organizations.models import Organization

    if isinstance(instance, Organization):
        return instance.pk
    for path in ("organization_id", "system.organization_id", "from_system.organization_id",
                 "project.organization_id"):
        value = instance
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def can_read_object(user, instance) -> bool:
    """Readers of everything read any record; others only records owned within their subtree."""
    if reads_everything(user):
        return True
    return can_read_organization(user, organization_id_of(instance))
