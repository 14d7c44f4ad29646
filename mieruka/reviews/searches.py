"""Reviews in the site-wide search (registered with core's search registry in apps.py)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import get_language

from mieruka.core.formatting import fiscal_year_label
from mieruka.core.permissions import scope_queryset
from mieruka.core.search import SearchHit, SearchResults
from mieruka.inventory.models import Project
from mieruka.inventory.selectors import project_search_q

from .models import Review


def search_reviews(*, user, query: str, terms: list[str], limit: int) -> SearchResults:
    """Reviews of the projects the search finds (by ID, name or reading), or whose summary or conclusion
    has every term, among the reviews the person may read."""
    text = Q()
    for term in terms:
        text &= Q(summary__icontains=term) | Q(conclusion__icontains=term)
    q = text | Q(project__in=Project.objects.filter(project_search_q(terms)).values("pk"))
    # Scoped as the reviews list is, without its per-row counts of open findings.
    queryset = scope_queryset(user, Review.objects.select_related("project"), organization_field="project__organization")
    queryset = queryset.filter(q).order_by("-fiscal_year", "project__project_id", "stage", "id")
    lang = get_language() or "ja"
    hits = [SearchHit(url=r.get_absolute_url(), code=r.project.project_id,
                      title=f"{r.project.name_ja} — {r.get_stage_display()}",
                      detail=f"{fiscal_year_label(r.fiscal_year, lang=lang)} · {r.get_state_display()}")
            for r in queryset[:limit]]
    return SearchResults(hits=hits, total=queryset.count() if len(hits) == limit else len(hits))
