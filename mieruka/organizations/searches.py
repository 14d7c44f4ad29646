"""Organizations in the site-wide search (registered with core's search registry in apps.py)."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from mieruka.core.permissions import visible_organization_ids
from mieruka.core.search import SearchHit, SearchResults, reading_matches_pks

from .models import Organization


def search_organizations(*, user, query: str, terms: list[str], limit: int) -> SearchResults:
    """Organizations by code, name (Japanese or English) or the reading of the Japanese name, within what
    the person may read (a ministry role: its own subtree)."""
    queryset = Organization.objects.select_related("parent")
    visible = visible_organization_ids(user)
    if visible is not None:
        queryset = queryset.filter(pk__in=visible)
    q = Q()
    for term in terms:
        q &= Q(code__iexact=term) | Q(name_ja__icontains=term) | Q(name_en__icontains=term)
    stats = Organization.objects.order_by().aggregate(n=Count("id"), top=Max("id"), last=Max("last_updated"))
    by_reading = reading_matches_pks(
        key="organizations", version=f"{stats['n']}.{stats['top']}.{stats['last']}", terms=terms,
        rows=lambda: Organization.objects.order_by().values_list("pk", "name_ja"))
    if by_reading:
        q |= Q(pk__in=by_reading)
    queryset = queryset.filter(q).order_by("order", "code")
    hits = [SearchHit(url=o.get_absolute_url(), title=o.name_ja, code=o.code,
                      detail=o.parent.name_ja if o.parent else "") for o in queryset[:limit]]
    return SearchResults(hits=hits, total=queryset.count() if len(hits) == limit else len(hits))
