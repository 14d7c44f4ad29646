"""Writes for monitoring: filing a status report, setting a baseline (rebaselining needs a reason)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mieruka.core.audit import Actor, audited_create, audited_update
from mieruka.core.errors import ApplicationError
from mieruka.reviews import access

from . import risk
from .choices import ASPECTS, WITHHELD, BaselineKind, Rating, RatingScale, RatingSource
from .models import Baseline, StatusReport

PERIOD_RULES = {
    risk.MONTHLY: ("月末", "a month end"),
    risk.QUARTERLY: ("四半期末（3/31・6/30・9/30・12/31）", "a quarter end (Mar 31, Jun 30, Sep 30, Dec 31)"),
    risk.ANNUAL: ("四半期末（年1回。その年度の報告として扱う）", "a quarter end (once a fiscal year)"),
}


def period_end_error(period_end: datetime.date, frequency: str) -> ApplicationError | None:
    """Why `period_end` cannot end a reporting period of `frequency` (annual reports may be made at any quarter
    end of their fiscal year, as published data often is), or None."""
    grid = risk.MONTHLY if frequency == risk.MONTHLY else risk.QUARTERLY
    if risk.is_period_end(period_end, grid):
        return None
    ja, en = PERIOD_RULES.get(frequency, PERIOD_RULES[risk.QUARTERLY])
    return ApplicationError(f"報告期間の末日は{ja}としてください（{period_end}）",
                            f"The period must end on {en}: {period_end}")


def overall_rating_error(scale: str, given: str) -> ApplicationError | None:
    """Why `given` is not a rating of `scale` (withheld is always accepted), or None."""
    if scale not in RatingScale.values:
        return ApplicationError(f"評価の尺度が不正です（{scale}）", f"Unknown rating scale ({scale})")
    if given == WITHHELD or given in risk.SCALE_VALUES[scale]:
        return None
    allowed = ", ".join(risk.SCALE_VALUES[scale])
    return ApplicationError(f"総合評価はこの尺度の値（{allowed}）または非公表としてください（{given or '空欄'}）",
                            f"The overall rating must be one of {allowed} on this scale, or withheld: {given!r}")


def _is_important(project) -> bool:
    return project.important or project.systems.filter(important=True).exists()


@transaction.atomic
def status_report_file(
    *, actor: Actor, project, period_end: datetime.date, overall: str, ratings: dict[str, str], narrative: str,
    forecast_cost_yen: int | None = None, forecast_end_on: datetime.date | None = None,
    filed_on: datetime.date | None = None, scale: str = RatingScale.RAG3,
    source: str = RatingSource.SELF_ASSESSMENT, forecast_cost_withheld: bool = False,
) -> StatusReport:
    """File (or amend) the status report of an important project for one period; audited.

    The overall rating is kept as given on `scale` and normalised for comparison; `withheld` is recorded
    as withheld, for the overall rating, an aspect or (`forecast_cost_withheld`) the forecast amount."""
    if not access.is_project_editor(actor.user, project):
        raise ApplicationError("状況報告を提出できるのは当該プロジェクトのPJMO（編集者）のみです",
                               "Only the project's PJMO editors may file its status reports")
    if not _is_important(project):
        raise ApplicationError("状況報告は重点プロジェクトのみが対象です",
                               "Status reports are filed for important projects only")
    if error := period_end_error(period_end, project.reporting_frequency):
        raise error
    filed_on = filed_on or timezone.localdate()
    if period_end > filed_on:
        raise ApplicationError("期間が終わる前の報告は提出できません",
                               "A report cannot be filed before its period has ended")
    if error := overall_rating_error(scale, overall):
        raise error
    if source not in RatingSource.values:
        raise ApplicationError(f"評価の出所が不正です（{source}）", f"Unknown rating source ({source})")
    values = {a: ratings.get(a) for a in ASPECTS}
    bad = [k for k, v in values.items() if v not in (*Rating.values, WITHHELD)]
    if bad:
        raise ApplicationError(f"評価（緑・黄・赤・非公表）が未入力または不正です: {', '.join(bad)}",
                               f"Ratings must be green, amber, red or withheld: {', '.join(bad)}")
    if not (narrative or "").strip():
        raise ApplicationError("状況の説明を入力してください", "The report needs a narrative")
    normalised = WITHHELD if overall == WITHHELD else risk.normalise_rating(scale, overall)
    data = {**values, "overall": normalised, "overall_given": overall, "scale": scale, "source": source,
            "narrative": narrative.strip(),
            "forecast_cost_yen": None if forecast_cost_withheld else forecast_cost_yen,
            "forecast_cost_withheld": forecast_cost_withheld,
            "forecast_end_on": forecast_end_on, "filed_on": filed_on, "filed_by": actor.user}
    existing = StatusReport.objects.filter(project=project, period_end=period_end).first()
    if existing is not None:
        return audited_update(actor=actor, instance=existing, data=data, reason="amended / 修正")
    return audited_create(actor=actor, model=StatusReport, data={"project": project, "period_end": period_end, **data})


@transaction.atomic
def baseline_set(
    *, actor: Actor, project, kind: str, set_on: datetime.date, reason: str = "",
    cost_yen: int | None = None, end_on: datetime.date | None = None, cost_withheld: bool = False,
) -> Baseline:
    """Set a cost or schedule baseline; a second or later one is a rebaseline and needs a reason. A withheld
    cost (非公表) is recorded as withheld, without an amount."""
    if not access.is_project_editor(actor.user, project):
        raise ApplicationError("ベースラインを設定できるのは当該プロジェクトのPJMO（編集者）のみです",
                               "Only the project's PJMO editors may set its baselines")
    if kind == BaselineKind.COST:
        if cost_withheld:
            cost_yen = None
        elif cost_yen is None or cost_yen < 0:
            raise ApplicationError("コストのベースラインには0円以上の金額が必要です",
                                   "A cost baseline needs an amount of 0 yen or more")
        end_on = None
    elif kind == BaselineKind.SCHEDULE:
        if end_on is None:
            raise ApplicationError("スケジュールのベースラインには完了予定日が必要です",
                                   "A schedule baseline needs a completion date")
        cost_yen, cost_withheld = None, False
    else:
        raise ApplicationError(f"ベースライン種別が不正です（{kind}）", f"Unknown baseline kind ({kind})")
    rebaseline = Baseline.objects.filter(project=project, kind=kind).exists()
    if rebaseline and not (reason or "").strip():
        raise ApplicationError("ベースラインの再設定には理由が必要です", "Rebaselining needs a reason")
    return audited_create(actor=actor, model=Baseline, data={
        "project": project, "kind": kind, "cost_yen": cost_yen, "cost_withheld": cost_withheld, "end_on": end_on,
        "set_on": set_on,
        "reason": (reason or "").strip(), "created_by": actor.user,
    }, reason=("rebaseline / 再設定: " if rebaseline else "") + (reason or "").strip())
