"""Demo digital staffing: every ministry from FY2022 to the demo's fiscal year, external-heavy, the in-house share
rising toward its target. Deterministic for a given `rng`; bulk writes with their audit rows."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from mieruka.core.audit import Actor, audit_record_many
from mieruka.core.choices import ChangeAction
from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization

from .models import DigitalStaffing

FIRST_YEAR = 2022


def _subtree_counts() -> dict[int, int]:
    """Systems per top-level organization: staff grow with the portfolio a ministry runs."""
    parents = dict(Organization.objects.values_list("pk", "parent_id"))

    def top(pk):
        while parents.get(pk) is not None:
            pk = parents[pk]
        return pk

    out: dict[int, int] = {}
    for org_id, n in InformationSystem.objects.order_by().values_list("organization_id").annotate(n=Count("id")):
        out[top(org_id)] = out.get(top(org_id), 0) + n
    return out


def staffing_demo_generate(*, rng: random.Random, actor: Actor, today: datetime.date) -> dict[str, int]:
    last_year = fiscal_year_of(today)
    counts = _subtree_counts()
    ministries = Organization.objects.filter(parent__isnull=True, kind__in=("ministry", "agency", "digital_agency"),
                                             pk__in=list(counts)).order_by("order", "code")
    rows = []
    quarter = Decimal("0.25")
    for org in ministries:
        systems = counts[org.pk]
        # A ministry with many systems has more people on them; the Digital Agency starts higher in-house.
        total = Decimal(max(8, round(systems * rng.uniform(1.6, 2.6))))
        share = Decimal(str(rng.uniform(0.32, 0.42) if org.kind == "digital_agency" else rng.uniform(0.12, 0.22)))
        target_share = share + Decimal(str(rng.uniform(0.12, 0.2)))
        rate = Decimal(str(rng.uniform(0.018, 0.045)))  # points of in-house share gained a year
        for year in range(FIRST_YEAR, last_year + 1):
            step = year - FIRST_YEAR
            grown = total * (1 + Decimal("0.04") * step)
            # Some ministries keep pace with their target, others fall behind: the page has both to show.
            internal_share = min(target_share, share + rate * step)
            internal = (grown * internal_share / quarter).quantize(Decimal("1")) * quarter
            external = ((grown - internal) / quarter).quantize(Decimal("1")) * quarter
            target = (grown * (share + (target_share - share) * step / (last_year - FIRST_YEAR + 1))
                      / quarter).quantize(Decimal("1")) * quarter
            rows.append(DigitalStaffing(organization=org, fiscal_year=year, internal_fte=internal,
                                        external_fte=external, internal_target_fte=target))
    DigitalStaffing.objects.bulk_create(rows, batch_size=1000)
    created = list(DigitalStaffing.objects.select_related("organization").order_by("pk"))
    # Dated by the demo's day, as every generated change is, so the same seed gives the same trail.
    recorded = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=20), datetime.time(10)),
                                   timezone.get_default_timezone())
    audit_record_many(actor=actor, action=ChangeAction.CREATE, instances=created, time=recorded)
    return {"digital staffing rows": len(created)}
