"""Writes of the insights app: a reviewer's verdict on a pair of similar systems (audited)."""

from django.db import transaction
from django.utils import timezone

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.errors import ApplicationError
from mieruka.inventory.models import InformationSystem

from .choices import PairVerdict
from .models import PairDecision


@transaction.atomic
def pair_decision_record(
    *,
    actor: Actor,
    system_a: InformationSystem,
    system_b: InformationSystem,
    verdict: str,
    note: str = "",
    score: float | None = None,
) -> PairDecision:
    """Record (or change) the verdict on two systems; the pair is stored ordered by primary key."""
    if system_a.pk == system_b.pk:
        raise ApplicationError(
            "同じ情報システム同士は判定できません", "A system cannot be paired with itself"
        )
    if verdict not in PairVerdict.values:
        raise ApplicationError(
            f"判定「{verdict}」は不正です（duplicate または distinct）",
            f"Verdict {verdict!r} is not valid (duplicate or distinct)",
        )
    if score is not None and not 0 <= score <= 1:
        raise ApplicationError("類似度は0から1の範囲で指定してください", "The score must be between 0 and 1")
    first, second = sorted((system_a, system_b), key=lambda s: s.pk)
    data = {
        "verdict": verdict,
        "note": note.strip(),
        "score": score,
        "decided_by": actor.user,
        "decided_at": timezone.now(),
    }
    existing = PairDecision.objects.select_for_update().filter(system_a=first, system_b=second).first()
    if existing is None:
        return audited_create(
            actor=actor, model=PairDecision, data={"system_a": first, "system_b": second, **data}
        )
    if existing.verdict == verdict and existing.note == data["note"]:
        return existing
    return audited_update(actor=actor, instance=existing, data=data)
