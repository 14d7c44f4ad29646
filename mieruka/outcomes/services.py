"""Writes of services, indicators and their yearly values: validated, permission-checked and audited in one
transaction each. A ministry's editor (PJMO) changes its own organization's; the Digital Agency any."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from mieruka.core.audit import Actor, audited_create, audited_delete, audited_update
from mieruka.core.choices import ChangeSource, Role
from mieruka.core.errors import ApplicationError, PermissionRefused
from mieruka.core.permissions import (
    actor_is_digital_agency,
    can_edit_organization,
    is_digital_agency,
    user_role,
)

from .choices import STANDARD_DEFAULTS, KpiLevel, StandardMeasure
from .models import Kpi, KpiValue, Service

SERVICE_EDITABLE = ("name_ja", "name_en", "description", "url", "systems")
KPI_EDITABLE = ("level", "term", "goal", "name_ja", "name_en", "unit", "direction", "target_year", "target_value",
                "derived_from")


def can_edit_outcomes(user, organization_id: int | None) -> bool:
    """Digital Agency roles edit every organization's services and indicators; a PJMO its own subtree's."""
    if is_digital_agency(user):
        return True
    return (user_role(user) == Role.EDITOR and organization_id is not None
            and can_edit_organization(user, organization_id))


def can_create_services(user) -> bool:
    return is_digital_agency(user) or user_role(user) == Role.EDITOR


def _require_editor(actor: Actor, organization_id: int | None) -> None:
    # An import run at the command line without an account is the server's operator, like `cli` and `demo`.
    operator_import = actor.user is None and actor.source == ChangeSource.IMPORT
    if operator_import or actor_is_digital_agency(actor) or can_edit_outcomes(actor.user, organization_id):
        return
    raise PermissionRefused("この組織のサービス・指標を登録・変更する権限がありません",
                            "You may not create or change services or indicators of this organization")



@transaction.atomic
def service_create(*, actor: Actor, data: dict, standard_measures: bool = True, reason: str = "") -> Service:
    """Register a service (audited) and, unless asked not to, its three standard measures."""
    _require_editor(actor, getattr(data.get("organization"), "pk", None))
    service = audited_create(actor=actor, model=Service, data=data, reason=reason)
    if standard_measures:
        for measure in StandardMeasure:
            kpi_create_standard(actor=actor, service=service, standard=measure, reason=reason)
    return service


@transaction.atomic
def service_update(*, actor: Actor, service: Service, data: dict, reason: str = "") -> Service:
    """Change a service (audited); its code and organization are its identity and stay."""
    _require_editor(actor, service.organization_id)
    unknown = set(data) - set(SERVICE_EDITABLE)
    if unknown:
        raise ApplicationError(f"変更できない項目です: {', '.join(sorted(unknown))}",
                               f"These fields cannot be changed: {', '.join(sorted(unknown))}")
    return audited_update(actor=actor, instance=service, data=data, reason=reason)


@transaction.atomic
def service_delete(*, actor: Actor, service: Service, reason: str = "") -> None:
    """Delete a service with its indicators and values, each audited."""
    _require_editor(actor, service.organization_id)
    for kpi in list(service.kpis.all()):
        kpi_delete(actor=actor, kpi=kpi, reason=reason)
    audited_delete(actor=actor, instance=service, reason=reason)


def _kpi_organization(data: dict):
    service, project = data.get("service"), data.get("project")
    if service is not None:
        return service.organization
    if project is not None and project.organization_id:
        return project.organization
    raise ApplicationError("指標の対象（サービスまたは組織のあるプロジェクト）を指定してください",
                           "Give the indicator's service, or a project that has an organization")


@transaction.atomic
def kpi_create(*, actor: Actor, data: dict, reason: str = "") -> Kpi:
    """Register an indicator of a service or project (audited); its organization follows what it measures."""
    data = {**data, "organization": _kpi_organization(data)}
    _require_editor(actor, data["organization"].pk)
    return audited_create(actor=actor, model=Kpi, data=data, reason=reason)


def kpi_create_standard(*, actor: Actor, service: Service, standard: str, reason: str = "") -> Kpi:
    """One of the measures every service has (online completion rate, usage, satisfaction)."""
    unit, direction, name_ja, name_en = STANDARD_DEFAULTS[StandardMeasure(standard)]
    return kpi_create(actor=actor, reason=reason, data={
        "code": f"{service.code}-{standard.upper().replace('_', '')}"[:32], "service": service,
        "level": KpiLevel.OUTCOME, "term": "short", "name_ja": name_ja, "name_en": name_en, "unit": unit,
        "direction": direction, "standard": standard})


@transaction.atomic
def kpi_update(*, actor: Actor, kpi: Kpi, data: dict, reason: str = "") -> Kpi:
    """Change an indicator (audited). A higher goal may not be the indicator itself."""
    _require_editor(actor, kpi.organization_id)
    unknown = set(data) - set(KPI_EDITABLE)
    if unknown:
        raise ApplicationError(f"変更できない項目です: {', '.join(sorted(unknown))}",
                               f"These fields cannot be changed: {', '.join(sorted(unknown))}")
    if any(k.pk == kpi.pk for k in data.get("derived_from", [])):
        raise ApplicationError("指標を自分自身の派生元にはできません", "An indicator cannot be its own higher goal")
    if kpi.standard and data.get("unit", kpi.unit) != kpi.unit:
        raise ApplicationError("標準指標の単位は変えられません", "The unit of a standard measure cannot be changed")
    return audited_update(actor=actor, instance=kpi, data=data, reason=reason)


@transaction.atomic
def kpi_delete(*, actor: Actor, kpi: Kpi, reason: str = "") -> None:
    """Delete an indicator and its yearly values, each audited."""
    _require_editor(actor, kpi.organization_id)
    for value in list(kpi.values.all()):
        audited_delete(actor=actor, instance=value, reason=reason)
    audited_delete(actor=actor, instance=kpi, reason=reason)


@transaction.atomic
def kpi_value_set(*, actor: Actor, kpi: Kpi, fiscal_year: int, target: Decimal | None, actual: Decimal | None,
                  actual_withheld: bool = False, reason: str = "") -> KpiValue | None:
    """Create, update or (all blank) delete one year of an indicator (audited). Withheld keeps no number."""
    _require_editor(actor, kpi.organization_id)
    if actual_withheld and actual is not None:
        raise ApplicationError("非公表の実績値に数値は入れられません",
                               "A withheld actual cannot also have a value")
    # As stored (three places), so an unchanged year compares equal and records no change.
    target, actual = (None if v is None else Decimal(v).quantize(Decimal("0.001")) for v in (target, actual))
    existing = KpiValue.objects.select_for_update().filter(kpi=kpi, fiscal_year=fiscal_year).first()
    if target is None and actual is None and not actual_withheld:
        if existing is not None:
            audited_delete(actor=actor, instance=existing, reason=reason)
        return None
    data = {"target": target, "actual": actual, "actual_withheld": actual_withheld}
    if existing is None:
        return audited_create(actor=actor, model=KpiValue, data={"kpi": kpi, "fiscal_year": fiscal_year, **data},
                              reason=reason)
    return audited_update(actor=actor, instance=existing, data=data, reason=reason)
