"""Reads of surveys: who may see them, aggregation per question, and export rows."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from mieruka.core.choices import Role
from mieruka.core.permissions import user_role, visible_organization_ids

from .charts import bar_chart_svg
from .choices import QuestionKind, SurveyStatus
from .models import Answer, Survey, SurveyRecipient


def survey_list(*, user) -> QuerySet[Survey]:
    qs = Survey.objects.annotate(
        n_recipients=Count("recipients", distinct=True),
        n_submitted=Count("recipients", filter=Q(recipients__submitted_at__isnull=False), distinct=True),
    ).order_by("-due_on", "-id")
    role = user_role(user)
    if role == Role.ADMIN:
        return qs
    qs = qs.exclude(status=SurveyStatus.DRAFT)
    if role in (Role.ANALYST, Role.REVIEWER):
        return qs
    ids = visible_organization_ids(user) or set()
    return qs.filter(recipients__organization_id__in=ids).distinct()


def recipients_for(*, user, survey: Survey) -> QuerySet[SurveyRecipient]:
    qs = survey.recipients.select_related("organization", "submitted_by").order_by(
        "organization__order", "organization__code")
    ids = visible_organization_ids(user)
    return qs if ids is None else qs.filter(organization_id__in=ids)


def survey_aggregate(*, survey: Survey, recipients: list[SurveyRecipient]) -> list[dict]:
    """Per question: counts per choice, numeric sum/average/min/max, text and file lists, date range.

    Only submitted responses count; one query for all answers.
    """
    submitted = {r.pk: r for r in recipients if r.submitted_at}
    answers: dict[int, list[Answer]] = {}
    for a in Answer.objects.filter(recipient_id__in=list(submitted)).select_related("question").order_by(
            "question__position", "recipient_id"):
        answers.setdefault(a.question_id, []).append(a)
    out = []
    # A withdrawn question is no longer asked: its results are left out too.
    for q in survey.questions.filter(withdrawn_at__isnull=True):
        rows = [a for a in answers.get(q.pk, []) if a.value not in (None, "", [])]
        item = {"question": q, "answered": len(rows), "respondents": len(submitted)}
        if q.kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
            counter: Counter = Counter()
            for a in rows:
                counter.update(a.value if isinstance(a.value, list) else [a.value])
            top = max(counter.values(), default=0)
            item["counts"] = [{"choice": c, "n": counter.get(c, 0),
                               "width": round(100 * counter.get(c, 0) / top) if top else 0} for c in q.choices]
            item["chart"] = bar_chart_svg(
                rows=[(c["choice"], c["n"]) for c in item["counts"]], chart_id=f"chart-{q.pk}",
                title=gettext("Bar chart of the answers to question %(n)s (same figures as the table)")
                % {"n": q.position},
            )
        elif q.kind == QuestionKind.NUMBER:
            numbers = [Decimal(a.value) for a in rows]
            item["numbers"] = {
                "count": len(numbers), "sum": sum(numbers) if numbers else None,
                "avg": (sum(numbers) / len(numbers)).quantize(Decimal("0.01")) if numbers else None,
                "min": min(numbers) if numbers else None, "max": max(numbers) if numbers else None,
            }
        elif q.kind == QuestionKind.DATE:
            dates = sorted(a.value for a in rows)
            item["dates"] = {"first": dates[0] if dates else None, "last": dates[-1] if dates else None}
            item["texts"] = [(submitted[a.recipient_id].organization, a.value) for a in rows]
        else:
            item["texts"] = [(submitted[a.recipient_id].organization, a) for a in rows]
        out.append(item)
    return out


def survey_export_rows(*, survey: Survey, recipients: list[SurveyRecipient]) -> tuple[list[str], list[list]]:
    """One row per recipient organization, one column per question (lists joined with ';')."""
    questions = list(survey.questions.filter(withdrawn_at__isnull=True))
    header = ["organization_code", "organization", "submitted_at"] + [f"Q{q.position} {q.text}" for q in questions]
    answers: dict[tuple[int, int], object] = {}
    for rid, qid, value in Answer.objects.filter(recipient__in=recipients).values_list(
            "recipient_id", "question_id", "value"):
        answers[(rid, qid)] = value
    rows = []
    for r in recipients:
        row = [r.organization.code, r.organization.name_ja,
               r.submitted_at.isoformat(timespec="seconds") if r.submitted_at else ""]
        for q in questions:
            value = answers.get((r.pk, q.pk))
            if isinstance(value, list):
                value = ";".join(value)
            elif q.kind == QuestionKind.NUMBER and value is not None:
                number = Decimal(value)
                value = int(number) if number == number.to_integral_value() else float(number)
            row.append("" if value is None else value)
        rows.append(row)
    return header, rows
