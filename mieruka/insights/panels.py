"""What insights adds to other apps' pages through the registries those apps own (they never import it)."""

from __future__ import annotations

from . import conf, selectors


def _visible(request) -> set[int] | None:
    from mieruka.core.permissions import visible_organization_ids

    return visible_organization_ids(request.user)


def similar_to_draft_panel(request, *, draft):
    """The system form's "Check for similar systems": existing systems that look like the unsaved text."""
    if not (draft.name_ja or draft.purpose or draft.functions):
        return {"rows": [], "empty": True, "threshold": conf.similarity_threshold()}
    rows = selectors.similar_to_drafts(
        drafts=[draft], exclude={draft.system_pk} if draft.system_pk else set(), visible=_visible(request)
    )
    return {"rows": rows, "empty": False, "threshold": conf.similarity_threshold()}


def similar_to_review_panel(request, *, review):
    """In a pre-budget-request review: existing systems that look like the project's systems."""
    from mieruka.inventory.panels import SystemDraft

    if review.stage != "pre_request":
        return None
    # The systems' tags and platforms in two queries, not two per system.
    systems = list(review.project.systems.prefetch_related("function_tags", "platforms"))
    if not systems:
        return None
    drafts = [
        SystemDraft(
            name_ja=s.name_ja, purpose=s.purpose or "", functions=tuple(s.functions or []), users=tuple(s.users or []),
            organization_id=s.organization_id, function_tag_ids=tuple(t.pk for t in s.function_tags.all()),
            platform_ids=tuple(p.pk for p in s.platforms.all()),
        )
        for s in systems
    ]
    rows = selectors.similar_to_drafts(drafts=drafts, exclude={s.pk for s in systems}, visible=_visible(request))
    return {"rows": rows, "empty": False, "threshold": conf.similarity_threshold(), "review": review}


def consolidation_panel(request, *, system):
    """On the system page: the systems a reviewer judged to duplicate this one."""
    return {"system": system, "candidates": selectors.consolidation_candidates_for(system=system)}
