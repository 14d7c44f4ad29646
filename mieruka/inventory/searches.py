"""Systems and projects in the site-wide search (registered with core's search registry in apps.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse

from mieruka.core.permissions import scope_queryset
from mieruka.core.search import SearchHit, SearchResults

from .models import InformationSystem, Project
from .selectors import project_search_q, system_search_q


def _exact_first(queryset, field: str, query: str):
    # An exact ID (S00648) comes first, then the rest in ID order.
    exact = Case(When(**{f"{field}__iexact": query.strip()}, then=Value(0)), default=Value(1),
                 output_field=IntegerField())
    return queryset.annotate(exact=exact).order_by("exact", field)


def search_systems(*, user, query: str, terms: list[str], limit: int) -> SearchResults:
    queryset = scope_queryset(user, InformationSystem.objects.select_related("organization"))
    queryset = _exact_first(queryset.filter(system_search_q(terms)), "system_id", query)
    hits = [SearchHit(url=s.get_absolute_url(), title=s.name_ja, code=s.system_id, detail=s.organization.name_ja)
            for s in queryset[:limit]]
    return SearchResults(hits=hits, total=queryset.count() if len(hits) == limit else len(hits),
                         more_url=reverse("inventory:system_list") + "?" + urlencode({"q": query}))


def search_projects(*, user, query: str, terms: list[str], limit: int) -> SearchResults:
    queryset = scope_queryset(user, Project.objects.select_related("organization"))
    queryset = _exact_first(queryset.filter(project_search_q(terms)), "project_id", query)
    hits = [SearchHit(url=p.get_absolute_url(), title=p.name_ja, code=p.project_id,
                      detail=p.organization.name_ja if p.organization else "")
            for p in queryset[:limit]]
    return SearchResults(hits=hits, total=queryset.count() if len(hits) == limit else len(hits),
                         more_url=reverse("inventory:project_list") + "?" + urlencode({"q": query}))
