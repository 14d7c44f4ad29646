"""Reads of the municipal app: the scoped migration list, the progress grid and what is behind schedule.

The grid is one grouped query over the 34,820 rows (prefecture × business area × status), whatever the
number of cells; the page's figures come from it, and each links to the list filtered the same way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mieruka.core.permissions import scope_queryset
from mieruka.core.selectors import demo_reference_date
from mieruka.organizations.models import Organization

from .choices import MigrationStatus
from .models import BusinessArea, MunicipalMigration


def municipal_today() -> datetime.date:
    """The day "behind schedule" is judged on: the demo's own day on a demo database, else today."""
    return demo_reference_date() or timezone.localdate()


def prefecture_list() -> QuerySet[Organization]:
    """The 47 prefectures: local governments at the top of the tree whose code is a prefecture's."""
    return (Organization.objects.filter(kind="local_government", parent__isnull=True,
                                        local_government_code__regex=r"^\d\d000\d$")
            .order_by("local_government_code"))


def business_area_list() -> QuerySet[BusinessArea]:
    return BusinessArea.objects.order_by("number")


def migration_visible_list(*, user) -> QuerySet[MunicipalMigration]:
    """Migration rows the person may read, with what every list row shows."""
    qs = MunicipalMigration.objects.select_related("organization", "organization__parent", "business_area")
    return scope_queryset(user, qs)


def behind_schedule_q(*, today: datetime.date) -> Q:
    """Target date passed and not yet 移行完了."""
    return Q(target_on__lt=today) & ~Q(status=MigrationStatus.COMPLETED)


@dataclass
class Cell:
    total: int = 0
    completed: int = 0
    by_status: dict = field(default_factory=dict)
    specific: int = 0
    behind: int = 0

    @property
    def share(self) -> float | None:
        return round(self.completed * 100 / self.total, 1) if self.total else None


def progress_grid(*, user, today: datetime.date) -> dict:
    """Counts per prefecture × business area (and totals per prefecture, per area and overall).

    Two queries for the counts: the grouped rows, and the prefectures and areas to name them.
    """
    behind = behind_schedule_q(today=today)
    rows = (scope_queryset(user, MunicipalMigration.objects.all()).order_by()
            .values("prefecture_id", "business_area_id", "status")
            .annotate(n=Count("id"), specific=Count("id", filter=Q(specific_support=True)),
                      behind=Count("id", filter=behind)))
    cells: dict[tuple, Cell] = defaultdict(Cell)
    for r in rows:
        for key in ((r["prefecture_id"], r["business_area_id"]), (r["prefecture_id"], None),
                    (None, r["business_area_id"]), (None, None)):
            cell = cells[key]
            cell.total += r["n"]
            cell.specific += r["specific"]
            cell.behind += r["behind"]
            cell.by_status[r["status"]] = cell.by_status.get(r["status"], 0) + r["n"]
            if r["status"] == MigrationStatus.COMPLETED:
                cell.completed += r["n"]
    present = {k[0] for k in cells if k[0] is not None}
    prefectures = [p for p in prefecture_list().only("id", "code", "name_ja", "name_en", "local_government_code")
                   if p.pk in present]
    areas = list(business_area_list())
    return {"cells": cells, "prefectures": prefectures, "areas": areas,
            "statuses": list(MigrationStatus)}
