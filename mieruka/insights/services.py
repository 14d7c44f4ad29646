"""Writes of the insights app: a person's verdict on a pair or a cluster of similar systems (audited)."""

from django.db import transaction
from django.utils import timezone

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.errors import ApplicationError
from mieruka.inventory.models import InformationSystem

from .choices import ClusterVerdict, PairVerdict
from .models import ClusterDecision, PairDecision, cluster_member_key


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


@transaction.atomic
def cluster_decision_record(
    *, actor: Actor, systems: list[InformationSystem], verdict: str, reason: str
) -> ClusterDecision:
    """Record (or change) a person's verdict on a cluster of systems; a reason is always required."""
    members = {s.pk: s for s in systems}
    if len(members) < 2:
        raise ApplicationError(
            "クラスターには2件以上の情報システムが必要です", "A cluster needs at least two systems"
        )
    if verdict not in ClusterVerdict.values:
        raise ApplicationError(
            f"判定「{verdict}」は不正です（{'、'.join(ClusterVerdict.values)}）",
            f"Verdict {verdict!r} is not valid ({', '.join(ClusterVerdict.values)})",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("判定の理由を入力してください", "Give the reason for the verdict")
    key = cluster_member_key(members)
    data = {"verdict": verdict, "reason": reason, "decided_by": actor.user, "decided_at": timezone.now()}
    existing = ClusterDecision.objects.select_for_update().filter(member_key=key).first()
    if existing is None:
        return audited_create(
            actor=actor,
            model=ClusterDecision,
            data={"member_key": key, "systems": list(members.values()), **data},
            reason=reason,
        )
    if existing.verdict == verdict and existing.reason == reason:
        return existing
    return audited_update(actor=actor, instance=existing, data=data, reason=reason)
