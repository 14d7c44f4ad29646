"""The flags of a campaign or survey on reporting's pages (registered in `apps.py` on reporting's registries)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from mieruka.core.permissions import user_role
from mieruka.reporting.models import Question

from . import selectors, services


def campaign_flags_panel(request, *, campaign, returns=None) -> dict | None:
    """Flags raised on the campaign and their outcomes, and the PJMO's button to flag it."""
    if user_role(request.user) is None:
        return None
    summary = selectors.campaign_flag_summary(campaign=campaign, user=request.user)
    return {**summary, "campaign": campaign, "can_flag": services.can_flag(request.user, campaign)}


def survey_flags_panel(request, *, survey) -> dict | None:
    """Flags on the survey's questions, and the questions the PJMO may flag."""
    if user_role(request.user) is None:
        return None
    questions = list(Question.objects.filter(survey=survey).order_by("position"))
    ct = ContentType.objects.get_for_model(Question)
    flags = list(selectors.flag_list(user=request.user).filter(content_type=ct,
                                                               object_id__in=[q.pk for q in questions]))
    flaggable = [q for q in questions if services.can_flag(request.user, q)]
    withdrawn = [q for q in questions if q.withdrawn_at is not None]
    if not (flags or flaggable or withdrawn):
        return None
    return {"flags": flags, "flaggable": flaggable, "withdrawn": withdrawn, "survey": survey}


def home_pending_flags_panel(request) -> dict | None:
    """For the 要求制止担当: flags awaiting a decision, oldest first."""
    from mieruka.core.permissions import is_request_arbiter

    from .choices import FlagStatus

    if not is_request_arbiter(request.user):
        return None
    pending = list(selectors.flag_list(user=request.user, status=FlagStatus.PENDING).order_by("created", "id")[:10])
    return {"flags": pending} if pending else None
