"""Reads of reviews and findings: scoped lists, the review page, Japanese search and similar past findings."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from mieruka.core.permissions import scope_queryset
from mieruka.core.search import search_terms
from mieruka.inventory.models import InformationSystem

from .choices import OPEN_STATUSES, STAGE_ORDER, ReviewState
from .models import Finding, Review


def review_list(*, user) -> QuerySet[Review]:
    """Reviews the user may read, with what every list row shows, and counts of open findings."""
    # A subquery per row rather than a join and GROUP BY: grouping every review's full row (project,
    # organization and both reviewers) before the page is cut took most of the list's time.
    open_findings = (Finding.objects.filter(review=OuterRef("pk"), status__in=OPEN_STATUSES).order_by()
                     .values("review").annotate(n=Count("pk")).values("n"))
    qs = (
        Review.objects.select_related("project", "project__organization", "reviewer", "support_reviewer")
        .annotate(open_findings=Coalesce(Subquery(open_findings, output_field=IntegerField()), 0))
    )
    return scope_queryset(user, qs, organization_field="project__organization")


def review_get(*, user, pk: int) -> Review:
    return get_object_or_404(
        scope_queryset(user, Review.objects.select_related(
            "project", "project__organization", "reviewer", "support_reviewer"), organization_field="project__organization"),
        pk=pk,
    )


def review_findings(*, review: Review) -> list[Finding]:
    return list(review.findings.select_related("owner").order_by("kind", "id"))


def review_carried(*, review: Review) -> list[Finding]:
    """Findings and conditions from earlier reviews carried into this one (open then; maybe closed since)."""
    return list(review.carried_findings.select_related("review", "owner").order_by("review__fiscal_year", "id"))


def project_reviews(*, project) -> list[Review]:
    """The project's reviews in their sequence (fiscal year, then stage)."""
    reviews = list(project.reviews.all())
    reviews.sort(key=lambda r: (r.fiscal_year, STAGE_ORDER[r.stage]))
    return reviews


def finding_list(*, user) -> QuerySet[Finding]:
    qs = Finding.objects.select_related("review", "project", "project__organization", "owner")
    return scope_queryset(user, qs, organization_field="project__organization")


def _full_width(term: str) -> str:
    """ASCII letters and digits in their full-width forms (ＡＰＩ), as ministries' documents often write them."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term)


def finding_search_q(query: str) -> Q:
    """Every term must appear in the finding, its recommendation or its response, in either width."""
    q = Q()
    for term in search_terms(query):
        term_q = Q()
        for variant in {term, _full_width(term)}:
            term_q |= Q(text__icontains=variant) | Q(recommendation__icontains=variant) | Q(response__icontains=variant)
        q &= term_q
    return q


# ------------------------------------------------------------------------------------------------ similar

_NON_WORD = re.compile(r"[\s\u3000、。，．・「」（）()［］\[\]:：;；,./／\-－ー]+")
_GENERIC = ("情報システム", "システム", "サービス", "業務", "管理")


@functools.lru_cache(maxsize=8192)
def _bigrams(text: str) -> frozenset[str]:
    # Kept per text: a review page scores the purposes of every system of earlier reviewed projects.
    text = unicodedata.normalize("NFKC", text or "").lower()
    for word in _GENERIC:
        text = text.replace(word, " ")
    grams = set()
    for chunk in _NON_WORD.split(text):
        grams.update(chunk[i:i + 2] for i in range(len(chunk) - 1))
    return frozenset(grams)


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


SIMILAR_THRESHOLD = 0.15


def similar_system_scores(*, systems: list[InformationSystem], candidates: list[InformationSystem]) -> dict[int, tuple[float, list[str]]]:
    """Score candidate systems against a project's systems by shared business functions (weight 0.6) and
    the overlap of character bigrams of their purposes (0.4); returns {pk: (score, shared functions)}."""
    own_functions = {f for s in systems for f in (s.functions or [])}
    own_grams = set().union(*(_bigrams(s.purpose) | _bigrams(s.name_ja) for s in systems)) if systems else set()
    own_ids = {s.pk for s in systems}
    out = {}
    for c in candidates:
        if c.pk in own_ids:
            continue
        functions = set(c.functions or [])
        f_score = _jaccard(own_functions, functions)
        p_score = _jaccard(own_grams, _bigrams(c.purpose) | _bigrams(c.name_ja))
        score = 0.6 * f_score + 0.4 * p_score if own_functions or functions else p_score
        if score >= SIMILAR_THRESHOLD:
            out[c.pk] = (score, sorted(own_functions & functions))
    return out


def similar_findings(*, user, review: Review, limit: int = 10) -> list[dict]:
    """Findings raised before on other projects whose systems resemble this project's (by function and
    purpose), best match first; offered to the reviewer and the PJMO as know-how.

    Each candidate system is scored once, from the few columns the score needs; only the findings shown
    are read in full (reading every earlier finding with its project's systems took seconds at demo size).
    """
    systems = list(review.project.systems.all())
    if not systems:
        return []
    earlier = (finding_list(user=user).exclude(project=review.project)
               .filter(Q(review__fiscal_year__lt=review.fiscal_year) | Q(review__fiscal_year=review.fiscal_year,
                                                                         created__lt=review.created)))
    through = InformationSystem.projects.through
    links = list(through.objects.filter(project_id__in=earlier.order_by().values("project_id"))
                 .values_list("project_id", "informationsystem_id"))
    if not links:
        return []
    # name_en too: the page shows each system's name (a deferred field would be read row by row).
    candidates = {c.pk: c for c in InformationSystem.objects.filter(pk__in={sid for _pid, sid in links})
                  .only("pk", "system_id", "name_ja", "name_en", "purpose", "functions")}
    scores = similar_system_scores(systems=systems, candidates=list(candidates.values()))
    best: dict[int, tuple] = {}  # project → (score, shared functions, system): its best-matching system
    for pid, sid in sorted(links, key=lambda link: candidates[link[1]].system_id):
        if sid in scores and (pid not in best or scores[sid][0] > best[pid][0]):
            best[pid] = scores[sid] + (candidates[sid],)
    if not best:
        return []
    rows = list(earlier.filter(project_id__in=list(best)).order_by().values_list("pk", "project_id", "severity"))
    rows.sort(key=lambda r: (-best[r[1]][0], r[2] != "high", -r[0]))
    rows = rows[:limit]
    findings = earlier.in_bulk([pk for pk, _pid, _severity in rows])
    return [{"finding": findings[pk], "score": best[pid][0], "system": best[pid][2],
             "shared_functions": best[pid][1]} for pk, pid, _severity in rows]


def review_counts(*, user) -> dict:
    """Counts by state for the list page's summary."""
    rows = review_list(user=user).order_by().values_list("state").annotate(n=Count("id"))
    return dict(rows)


def findings_by_project(project_ids) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for pid, n in (Finding.objects.filter(project_id__in=project_ids, status__in=OPEN_STATUSES)
                   .order_by().values_list("project_id").annotate(n=Count("id"))):
        counts[pid] = n
    return counts


# ------------------------------------------------------------------ the home page's work lists


def review_due_days() -> int:
    return int(getattr(settings, "MIERUKA_REVIEW_DUE_DAYS", 30))


def review_queue(*, user, today: datetime.date) -> list[Review]:
    """Submitted reviews waiting on this reviewer (assigned to them, or to nobody yet).

    A review is due `MIERUKA_REVIEW_DUE_DAYS` after it was submitted; each carries `due_on` and `days_late`.
    Oldest due first.
    """
    # The same reviews as the list's "waiting for me" filter, so the link below the panel shows them all.
    qs = review_list(user=user).filter(
        Q(state=ReviewState.SUBMITTED, reviewer__isnull=True)
        | Q(state__in=[ReviewState.SUBMITTED, ReviewState.IN_REVIEW], reviewer=user))
    rows = list(qs.order_by("submitted_on", "pk"))
    days = datetime.timedelta(days=review_due_days())
    for r in rows:
        r.due_on = r.submitted_on + days if r.submitted_on else None
        r.days_late = max((today - r.due_on).days, 0) if r.due_on else 0
    return rows


def open_findings_due(*, user, today: datetime.date, limit: int = 10) -> dict:
    """Open findings and conditions of the user's projects, overdue first, then by due date."""
    qs = finding_list(user=user).filter(status__in=OPEN_STATUSES)
    counts = qs.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    total, overdue = counts["total"], counts["overdue"]
    if not total:
        return {"findings": [], "total": 0, "overdue": 0}
    rows = list(qs.order_by(F("due_on").asc(nulls_last=True), "pk")[:limit])
    return {"findings": rows, "total": total, "overdue": overdue}
