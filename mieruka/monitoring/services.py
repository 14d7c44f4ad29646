"""Writes for monitoring: filing a status report, setting a baseline (rebaselining needs a reason)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.errors import ApplicationError
from mieruka.reviews import access

from .choices import ASPECTS, BaselineKind, Rating
from .models import Baseline, StatusReport
from .selectors import is_quarter_end


def _is_important(project) -> bool:
    return project.important or project.systems.filter(important=True).exists()


@transaction.atomic
def status_report_file(
    *, actor: Actor, project, period_end: datetime.date, overall: str, ratings: dict[str, str], narrative: str,
    forecast_cost_yen: int | None = None, forecast_end_on: datetime.date | None = None,
    filed_on: datetime.date | None = None,
) -> StatusReport:
    """File (or amend) the status report of an important project for one quarter; audited."""
    if not access.is_project_editor(actor.user, project):
        raise ApplicationError("状況報告を提出できるのは当該プロジェクトのPJMO（編集者）のみです",
                               "Only the project's PJMO editors may file its status reports")
    if not _is_important(project):
        raise ApplicationError("状況報告は重点プロジェクトのみが対象です",
                               "Status reports are filed for important projects only")
    if not is_quarter_end(period_end):
        raise ApplicationError(f"報告期間の末日は四半期末（3/31・6/30・9/30・12/31）としてください（{period_end}）",
                               f"The period must end on a quarter end (Mar 31, Jun 30, Sep 30, Dec 31): {period_end}")
    filed_on = filed_on or timezone.localdate()
    if period_end > filed_on:
        raise ApplicationError("期間が終わる前の報告は提出できません",
                               "A report cannot be filed before its period has ended")
    values = {"overall": overall, **{a: ratings.get(a) for a in ASPECTS}}
    bad = [k for k, v in values.items() if v not in Rating.values]
    if bad:
        raise ApplicationError(f"評価（緑・黄・赤）が未入力または不正です: {', '.join(bad)}",
                               f"Ratings must be green, amber or red: {', '.join(bad)}")
    if not (narrative or "").strip():
        raise ApplicationError("状況の説明を入力してください", "The report needs a narrative")
    data = {**values, "narrative": narrative.strip(), "forecast_cost_yen": forecast_cost_yen,
            "forecast_end_on": forecast_end_on, "filed_on": filed_on, "filed_by": actor.user}
    existing = StatusReport.objects.filter(project=project, period_end=period_end).first()
    if existing is not None:
        return audited_update(actor=actor, instance=existing, data=data, reason="amended / 修正")
    return audited_create(actor=actor, model=StatusReport, data={"project": project, "period_end": period_end, **data})


@transaction.atomic
def baseline_set(
    *, actor: Actor, project, kind: str, set_on: datetime.date, reason: str = "",
    cost_yen: int | None = None, end_on: datetime.date | None = None,
) -> Baseline:
    """Set a cost or schedule baseline; a second or later one is a rebaseline and needs a reason."""
    if not access.is_project_editor(actor.user, project):
        raise ApplicationError("ベースラインを設定できるのは当該プロジェクトのPJMO（編集者）のみです",
                               "Only the project's PJMO editors may set its baselines")
    if kind == BaselineKind.COST:
        if cost_yen is None or cost_yen < 0:
            raise ApplicationError("コストのベースラインには0円以上の金額が必要です",
                                   "A cost baseline needs an amount of 0 yen or more")
        end_on = None
    elif kind == BaselineKind.SCHEDULE:
        if end_on is None:
            raise ApplicationError("スケジュールのベースラインには完了予定日が必要です",
                                   "A schedule baseline needs a completion date")
        cost_yen = None
    else:
        raise ApplicationError(f"ベースライン種別が不正です（{kind}）", f"Unknown baseline kind ({kind})")
    rebaseline = Baseline.objects.filter(project=project, kind=kind).exists()
    if rebaseline and not (reason or "").strip():
        raise ApplicationError("ベースラインの再設定には理由が必要です", "Rebaselining needs a reason")
    return audited_create(actor=actor, model=Baseline, data={
        "project": project, "kind": kind, "cost_yen": cost_yen, "end_on": end_on, "set_on": set_on,
        "reason": (reason or "").strip(), "created_by": actor.user,
    }, reason=("rebaseline / 再設定: " if rebaseline else "") + (reason or "").strip())
