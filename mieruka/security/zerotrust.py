"""The zero-trust readiness checklist (ゼロトラスト対応状況) and its score. Pure: no ORM.

The items follow the pillars of the Digital Agency's zero-trust architecture policy
(ゼロトラストアーキテクチャ適用方針, 2022), which builds on NIST SP 800-207 and CISA's Zero Trust Maturity
Model: identity, device, network, application (workload), data, visibility and analytics, automation and
governance. Each item is a fact a PJMO can answer about its own system, not a product to buy.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import ReadinessState


@dataclass(frozen=True)
class Item:
    code: str
    pillar: str
    label: object  # lazy text


PILLARS = {
    "identity": _("Identity"),
    "device": _("Device"),
    "network": _("Network"),
    "application": _("Application and workload"),
    "data": _("Data"),
    "visibility": _("Visibility and analytics"),
    "automation": _("Automation and governance"),
}

ITEMS: tuple[Item, ...] = (
    Item("id_central", "identity", _("Staff sign in through a central identity provider (such as GIMA) with single sign-on")),
    Item("id_mfa", "identity", _("Multi-factor authentication for every user and administrator")),
    Item("id_least_privilege", "identity", _("Least-privilege roles, reviewed at least once a year")),
    Item("dev_inventory", "device", _("Every device that reaches the system is inventoried and managed")),
    Item("dev_posture", "device", _("Device health (patches, EDR) is checked before access is granted")),
    Item("net_no_implicit_trust", "network", _("No access is trusted for coming from an internal network")),
    Item("net_encrypted", "network", _("All traffic is encrypted, inside the system as well")),
    Item("app_per_request", "application", _("Access is authorised per request and per session by policy")),
    Item("app_secure_dev", "application", _("Secure development: dependency and code scanning in the build")),
    Item("data_classified", "data", _("Data is classified and protected by its class (encryption, access)")),
    Item("vis_logging", "visibility", _("Access and security logs are collected centrally and analysed")),
    Item("vis_continuous", "visibility", _("Assets are under continuous diagnosis (常時診断) with findings tracked")),
    Item("auto_response", "automation", _("Detected threats trigger a documented, partly automated response")),
)
ITEM_CODES = tuple(item.code for item in ITEMS)
BY_CODE = {item.code: item for item in ITEMS}

# Maturity bands of the score (CISA's model has four stages; the first is "traditional").
BANDS = ((75, "optimal", _("Advanced")), (50, "advanced", _("Progressing")), (25, "initial", _("Initial")),
         (0, "traditional", _("Traditional (perimeter)")))


def readiness_score(states: dict[str, str]) -> int | None:
    """Per cent of the applicable items in place (a partly-in-place item counts half); None when nothing
    applicable has been answered. Unanswered items count as not in place: a checklist half filled in is not
    half ready."""
    applicable = [code for code in ITEM_CODES if states.get(code) != ReadinessState.NOT_APPLICABLE]
    if not applicable or not any(code in states for code in ITEM_CODES):
        return None
    points = sum(1.0 if states.get(c) == ReadinessState.DONE else 0.5 if states.get(c) == ReadinessState.PARTIAL
                 else 0.0 for c in applicable)
    return round(100 * points / len(applicable))


def readiness_band(score: int | None) -> tuple[str, object] | None:
    if score is None:
        return None
    for floor, key, label in BANDS:
        if score >= floor:
            return key, label
    return None
