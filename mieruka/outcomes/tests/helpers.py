"""Small builders for the outcomes tests (direct writes: the services are tested on their own)."""

from decimal import Decimal

from mieruka.outcomes.models import Kpi, KpiValue, Service


def service(*, code="SVC-T1", organization, systems=(), **kwargs) -> Service:
    obj = Service.objects.create(code=code, name_ja=kwargs.pop("name_ja", "テスト手続"), organization=organization,
                                 **kwargs)
    obj.systems.set(systems)
    return obj


def kpi(*, code, service=None, project=None, values=(), **kwargs) -> Kpi:
    organization = service.organization if service else project.organization
    defaults = {"level": "outcome", "term": "short", "name_ja": "オンライン完結率", "unit": "%",
                "direction": "higher", "target_year": 2026, "target_value": Decimal("80")}
    defaults.update(kwargs)
    obj = Kpi.objects.create(code=code, service=service, project=project, organization=organization, **defaults)
    for fy, target, actual in values:
        KpiValue.objects.create(kpi=obj, fiscal_year=fy, target=None if target is None else Decimal(str(target)),
                                actual=None if actual in (None, "withheld") else Decimal(str(actual)),
                                actual_withheld=actual == "withheld")
    return obj
