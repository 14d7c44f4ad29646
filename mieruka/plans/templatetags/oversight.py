"""Template tags other pages use to show oversight facts, e.g. `{% decision_badge system decisions %}`."""

from django import template

from mieruka.plans.selectors import decisions_for_projects, decisions_for_systems

register = template.Library()


@register.inclusion_tag("plans/includes/decision_badge.html")
def decision_badge(obj, decisions=None):
    """A badge for a system or project with a stop / scale-down / merge decision ("continue" shows none).

    Lists should pass `decisions` (from `decisions_for_systems(ids)` or `decisions_for_projects(ids)`) so
    the page makes one query, not one per row; without it the tag looks the one item up itself.
    """
    if obj is None:
        return {"decision": None}
    if decisions is None:
        from mieruka.inventory.models import InformationSystem

        lookup = decisions_for_systems if isinstance(obj, InformationSystem) else decisions_for_projects
        decisions = lookup([obj.pk])
    decision = decisions.get(obj.pk)
    return {"decision": decision if decision is not None and decision.kind != "continue" else None}


_STATE_CLASS = {
    "draft": "badge--info", "submitted": "badge--info", "in_review": "badge--warn", "approved": "badge--ok",
    "approved_with_conditions": "badge--warn", "returned": "badge--bad",
    "green": "badge--ok", "amber": "badge--warn", "red": "badge--bad",
    "high": "badge--bad", "medium": "badge--warn", "low": "badge--info",
    "open": "badge--bad", "in_progress": "badge--warn", "closed": "badge--ok", "withdrawn": "badge--info",
}


@register.filter
def badge_class(value) -> str:
    """The badge colour of a review state, rating, severity or follow-up status."""
    return _STATE_CLASS.get(str(value), "badge--info")


@register.filter
def pick_lang(obj, prefix: str) -> str:
    """`obj.<prefix>_ja` or `obj.<prefix>_en` by the active language (Japanese when English is empty)."""
    from django.utils.translation import get_language

    lang = (get_language() or "ja")[:2]
    en = getattr(obj, f"{prefix}_en", "")
    return en if lang == "en" and en else getattr(obj, f"{prefix}_ja", "")


@register.filter
def change_from_base(pct):
    """A signed reduction percentage as {direction, pct}: 増加 35.4 %, never 削減 −35.4 % (see the selector)."""
    from mieruka.plans.selectors import change_from_base as change

    return change(pct)


@register.filter
def absolute(value):
    """The size of a signed number (an allowed increase is written as a positive percentage)."""
    return abs(value) if value is not None else None
