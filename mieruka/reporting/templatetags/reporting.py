"""`{% freshness obj %}`: when a record was last confirmed, by whom, and whether it is stale.

On list pages pass a map from `selectors.freshness_for(page)` (`{% freshness obj fresh_map %}`) or annotate
the queryset with `selectors.freshness_annotate`, so the tag makes no query per row.
Add `confirm=True` to show the "still correct" button to those who may confirm the record.
"""

from django import template

from mieruka.core.choices import Role
from mieruka.core.permissions import can_edit_organization, user_role

from .. import selectors

register = template.Library()


@register.inclusion_tag("reporting/includes/freshness.html", takes_context=True)
def freshness(context, obj, freshness_map=None, confirm=False):
    request = context.get("request")
    return {**freshness_context(request, obj, freshness_map=freshness_map, confirm=confirm),
            "csrf_token": context.get("csrf_token")}


def freshness_context(request, obj, *, freshness_map=None, confirm=False) -> dict:
    """What `reporting/includes/freshness.html` shows for one record (also the system page's panel)."""
    if freshness_map is not None and obj.pk in freshness_map:
        info = freshness_map[obj.pk]
    elif hasattr(obj, "confirmed_at"):
        info = selectors.freshness_of_annotated(obj)
    else:
        info = selectors.freshness_for([obj])[obj.pk]
    user = getattr(request, "user", None)
    # The role only matters for the button: list pages show this for every row without one.
    role = user_role(user) if confirm and user is not None else None
    can_confirm = bool(confirm) and (
        role == Role.ADMIN or (role == Role.EDITOR and can_edit_organization(user, getattr(obj, "organization_id", None)))
    )
    return {
        "info": info, "obj": obj, "can_confirm": can_confirm, "stale_days": selectors.stale_after_days(),
        "model": f"{obj._meta.app_label}.{obj._meta.model_name}",
        "next": request.get_full_path() if request is not None else "",
    }
