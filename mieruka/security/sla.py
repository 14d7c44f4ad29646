"""Due dates of continuous-diagnosis findings: the days to fix by severity (SLA), and past-SLA. Pure.

The defaults (critical 7 days, high 30, medium 90, low 180) follow common vulnerability-management
practice (the US CISA BOD 22-01 asks for 2 weeks on known exploited ones; CVSS-based policies of 7/30/90/180
days are usual); `MIERUKA_SECURITY_SLA_DAYS` in the settings changes them (docs/security.md).
"""

from __future__ import annotations

import datetime

from django.conf import settings

DEFAULT_SLA_DAYS = {"critical": 7, "high": 30, "medium": 90, "low": 180}


def sla_days() -> dict[str, int]:
    configured = getattr(settings, "SECURITY_SLA_DAYS", None) or {}
    return {**DEFAULT_SLA_DAYS, **configured}


def due_date(*, severity: str, found_on: datetime.date) -> datetime.date:
    return found_on + datetime.timedelta(days=sla_days()[severity])


def is_past_sla(*, due_on: datetime.date, open_: bool, as_of: datetime.date) -> bool:
    """An open finding is past its SLA the day after its due date, as of the data's date."""
    return open_ and as_of > due_on


def days_overdue(*, due_on: datetime.date, as_of: datetime.date) -> int:
    return max(0, (as_of - due_on).days)
