"""Factories for tests: each makes a valid record with sensible defaults; override any field by keyword.

They write directly (no audit rows) because tests of the audit trail go through the services instead.
"""

import itertools

from mieruka.budgets.models import BudgetLine
from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
from mieruka.organizations.models import Organization

_seq = itertools.count(1)


def organization(**kwargs) -> Organization:
    n = next(_seq)
    defaults = {"code": f"ORG{n:04d}", "name_ja": f"テスト省{n}", "name_en": f"Test Ministry {n}",
                "kind": "ministry", "order": n}
    defaults.update(kwargs)
    return Organization.objects.create(**defaults)


def platform(**kwargs) -> SharedPlatform:
    n = next(_seq)
    defaults = {"code": f"PF{n}", "name_ja": f"共通基盤{n}", "name_en": f"Platform {n}"}
    defaults.update(kwargs)
    return SharedPlatform.objects.create(**defaults)


def system(**kwargs) -> InformationSystem:
    n = next(_seq)
    platforms = kwargs.pop("platforms", [])
    if "organization" not in kwargs:
        kwargs["organization"] = organization()
    defaults = {"system_id": f"S{n:06d}", "name_ja": f"テスト業務システム{n}", "name_en": f"Test system {n}",
                "classification": "ministry", "status": "operation", "hosting": "on_premises",
                "purpose": "テスト用の情報システム", "functions": [], "users": []}
    defaults.update(kwargs)
    obj = InformationSystem.objects.create(**defaults)
    if platforms:
        obj.platforms.set(platforms)
    return obj


def project(**kwargs) -> Project:
    n = next(_seq)
    systems = kwargs.pop("systems", [])
    defaults = {"project_id": f"P{n:06d}", "name_ja": f"テストプロジェクト{n}", "phase": "operation"}
    if systems and "organization" not in kwargs:
        defaults["organization"] = systems[0].organization
    defaults.update(kwargs)
    obj = Project.objects.create(**defaults)
    if systems:
        obj.systems.set(systems)
    return obj


def budget_line(**kwargs) -> BudgetLine:
    if "system" not in kwargs:
        kwargs["system"] = system()
    defaults = {"fiscal_year": 2025, "category": "operation", "stage": "initial",
                "appropriation": "ministry", "amount_yen": 100_000_000}
    defaults.update(kwargs)
    return BudgetLine.objects.create(**defaults)


def interface(**kwargs) -> Interface:
    if "from_system" not in kwargs:
        kwargs["from_system"] = system()
    if "to_system" not in kwargs:
        kwargs["to_system"] = system()
    defaults = {"kind": "data", "description": ""}
    defaults.update(kwargs)
    return Interface.objects.create(**defaults)
