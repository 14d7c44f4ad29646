"""Pages of reporting campaigns, returns, record confirmation and surveys: parse, call, render."""

from __future__ import annotations

import csv
import io

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mieruka.core.audit import Actor
from mieruka.core.choices import Role
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.formatting import spreadsheet_safe
from mieruka.core.permissions import user_role

from . import campaign_templates, selectors, services, survey_selectors, survey_services
from . import fields as registry
from .choices import CampaignStatus, ReturnStatus, SurveyStatus
from .forms import CampaignForm, QuestionFormSet, ReturnForm, SendBackForm, SurveyAnswerForm, SurveyForm
from .models import Answer, Campaign, Return, Survey, SurveyRecipient
from .panels import campaign_panels, survey_panels

RECORDS_PER_PAGE = 20


def _is_admin(user) -> bool:
    return user_role(user) == Role.ADMIN


def _require_admin(user) -> None:
    if not _is_admin(user):
        raise PermissionDenied(bilingual("デジタル庁の管理者のみが行えます",
                                         "Only Digital Agency administrators may do this"))


def _visible_campaign(request, pk: int) -> Campaign:
    campaign = selectors.campaign_list(user=request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("campaign")
    return campaign


def _visible_return(request, pk: int) -> Return:
    ret = get_object_or_404(Return.objects.select_related("campaign", "organization", "submitted_by",
                                                          "decided_by"), pk=pk)
    if not selectors.can_view_return(request.user, ret) or (
            ret.campaign.status == CampaignStatus.DRAFT and not _is_admin(request.user)):
        raise Http404("return")
    return ret


# ------------------------------------------------------------------ campaigns


@login_required
def index(request):
    """Campaigns and surveys the user may see, and the returns their organization still owes."""
    return render(request, "reporting/index.html", {
        "campaigns": selectors.campaign_list(user=request.user)[:100],
        "surveys": survey_selectors.survey_list(user=request.user)[:100],
        "waiting": selectors.returns_waiting_for(user=request.user),
        "is_admin": _is_admin(request.user),
        "campaign_templates": campaign_templates.templates(),
    })


@login_required
def campaign_create(request):
    _require_admin(request.user)
    # ?template=<key> fills the form from a registered campaign template (see campaign_templates.py).
    template = campaign_templates.template_get(request.GET.get("template", ""))
    initial = template.initial(today=timezone.localdate()) if template else None
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=Actor.from_request(request), title=form.cleaned_data["title"],
                description=form.cleaned_data["description"], fields=form.cleaned_data["fields"],
                organizations=form.cleaned_data["organizations"], due_on=form.cleaned_data["due_on"],
                fiscal_year=form.cleaned_data["fiscal_year"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The campaign was saved as a draft. Open it to send the returns."))
            return redirect(campaign)
    return render(request, "reporting/campaign_form.html", {"form": form, "template": template})


@login_required
def campaign_detail(request, pk: int):
    """The progress page: each organization's state and the burden the campaign put on it."""
    campaign = _visible_campaign(request, pk)
    returns = list(selectors.returns_for(user=request.user, campaign=campaign))
    burdens = selectors.campaign_burden(campaign=campaign, returns=returns)
    duplicates = []
    if campaign.status == CampaignStatus.DRAFT:
        duplicates = services.campaign_duplicate_asks(
            fields=campaign.fields, organization_ids=[o.pk for o in campaign.organizations.all()],
            exclude_campaign_id=campaign.pk)
    return render(request, "reporting/campaign_detail.html", {
        "campaign": campaign, "burdens": burdens, "totals": selectors.burden_totals(burdens),
        "progress": [(s, label, n) for (s, label), n in zip(
            ReturnStatus.choices, selectors.campaign_progress(campaign=campaign, returns=returns).values(), strict=True)],
        "field_labels": [(registry.FIELDS[k].record_type, registry.FIELDS[k].label) for k in campaign.fields
                         if k in registry.FIELDS],
        "record_types": registry.RECORD_TYPES,
        "organizations": campaign.organizations.all(), "duplicates": duplicates,
        "is_admin": _is_admin(request.user),
        "panels": campaign_panels.render_list(request, campaign=campaign, returns=returns),
    })


def _admin_action(request, model, pk: int, service, done_message, *, argument: str):
    """Run an administrator's open/close service on a campaign or survey; errors become messages."""
    _require_admin(request.user)
    target = get_object_or_404(model, pk=pk)
    try:
        service(actor=Actor.from_request(request), **{argument: target})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message)
    return redirect(target)


def _campaign_action(request, pk: int, service, done_message):
    return _admin_action(request, Campaign, pk, service, done_message, argument="campaign")


@login_required
@require_POST
def campaign_open(request, pk: int):
    return _campaign_action(request, pk, services.campaign_open,
                            _("The campaign is open; each organization received its pre-filled return."))


@login_required
@require_POST
def campaign_close(request, pk: int):
    return _campaign_action(request, pk, services.campaign_close, _("The campaign is closed."))


# ------------------------------------------------------------------ returns


def _page_items(blocks):
    return [item for b in blocks for item in b.items]


def _confirm_all_page(request, *, ret, form):
    """The question before "confirm everything else unchanged": how many fields it would confirm."""
    pending = selectors.campaign_burden(campaign=ret.campaign, returns=[ret])[0].pending
    carried = [(k, v) for k in request.POST if k not in ("csrfmiddlewaretoken", "action", "confirm_all")
               for v in request.POST.getlist(k)]
    return render(request, "reporting/return_confirm_all.html", {
        "ret": ret, "campaign": ret.campaign, "pending": pending,
        "carried": carried, "action_url": request.get_full_path(),
    })


@login_required
def return_detail(request, pk: int):
    """A return: pre-filled facts to confirm (one action per record or for all) or correct."""
    ret = _visible_return(request, pk)
    editable = (services.can_edit_return(request.user, ret) and ret.campaign.status == CampaignStatus.OPEN
                and ret.status in (ReturnStatus.NOT_STARTED, ReturnStatus.IN_PROGRESS, ReturnStatus.SENT_BACK))
    only = request.GET.get("only", "")
    if only not in ("", "pending", "changed"):
        only = ""
    blocks = selectors.return_blocks(ret=ret, only=only)
    page = Paginator(blocks, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    items = selectors.items_for_display(_page_items(page.object_list))
    form = ReturnForm(request.POST or None, items=items, editable=editable)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(bilingual("この回答は編集できません", "This return cannot be edited"))
        if form.is_valid():
            actor = Actor.from_request(request)
            action = request.POST.get("action", "save")
            if action == "confirm_all" and request.POST.get("confirm_all") != "yes":
                # Confirming every remaining field is one click that answers many questions at once: ask
                # first, on a page of its own (no script needed), carrying what was typed so nothing is lost.
                return _confirm_all_page(request, ret=ret, form=form)
            try:
                # Saving the edits and confirming the rest is one change: both happen or neither.
                with transaction.atomic():
                    result = services.return_save(actor=actor, ret=ret, answers=form.answers())
                    confirmed = 0
                    if request.POST.get("confirm_record"):
                        # "<content type>:<object>[:<record type>]": a project is one record for its
                        # project fields and another for its status report.
                        ct_id, object_id, *record_type = request.POST["confirm_record"].split(":")
                        confirmed = services.return_confirm_unchanged(
                            actor=actor, ret=ret, content_type_id=int(ct_id), object_id=int(object_id),
                            record_type=record_type[0] if record_type else None)
                    elif action == "confirm_all":
                        confirmed = services.return_confirm_unchanged(actor=actor, ret=ret)
            except (ApplicationError, ValueError) as exc:
                messages.error(request, getattr(exc, "message", str(exc)))
            else:
                messages.success(request, _("Saved: %(changed)d changed, %(confirmed)d confirmed unchanged.") % {
                    "changed": result["changed"], "confirmed": confirmed})
                return redirect(request.get_full_path())
    for item in items:
        item.bound = form[f"item_{item.pk}"]
    burden = selectors.campaign_burden(campaign=ret.campaign, returns=[ret])[0]
    is_admin = _is_admin(request.user)
    return render(request, "reporting/return_detail.html", {
        "ret": ret, "campaign": ret.campaign, "page": page, "form": form, "editable": editable, "only": only,
        "submitted": ret.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED),
        "burden": burden, "is_admin": is_admin,
        "differences": selectors.return_differences(ret=ret) if ret.status == ReturnStatus.SUBMITTED else [],
        "send_back_form": SendBackForm(), "can_submit": editable and burden.pending == 0,
    })


@login_required
@require_POST
def return_submit(request, pk: int):
    ret = _visible_return(request, pk)
    try:
        services.return_submit(actor=Actor.from_request(request), ret=ret)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The return was submitted to the Digital Agency. Thank you."))
    return redirect(ret)


@login_required
@require_POST
def return_accept(request, pk: int):
    ret = _visible_return(request, pk)
    try:
        result = services.return_accept(actor=Actor.from_request(request), ret=ret)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Accepted: %(changes)d changes applied, %(records)d records confirmed.") % result)
    return redirect(ret)


@login_required
@require_POST
def return_send_back(request, pk: int):
    ret = _visible_return(request, pk)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, bilingual("差し戻しの理由を入力してください", "Say why the return is sent back"))
        return redirect(ret)
    try:
        services.return_send_back(actor=Actor.from_request(request), ret=ret, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The return was sent back; its editors were notified."))
    return redirect(ret)


@login_required
@require_POST
def record_confirm(request, model: str, pk: int):
    """"Still correct": confirm one system or project outside any campaign, then go back."""
    if model not in services.CONFIRMABLE_MODELS:
        raise Http404(model)
    record = get_object_or_404(apps.get_model(model), pk=pk)
    try:
        services.record_confirm(actor=Actor.from_request(request), record=record)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Confirmed as still correct."))
    target = request.POST.get("next") or getattr(record, "get_absolute_url", lambda: "/")()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    return redirect(target)


# ------------------------------------------------------------------ surveys


@login_required
def survey_create(request):
    _require_admin(request.user)
    form = SurveyForm(request.POST or None)
    formset = QuestionFormSet(request.POST or None, prefix="q")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        questions = [q for q in (f.as_question() for f in formset.forms) if q]
        try:
            survey = survey_services.survey_create(
                actor=Actor.from_request(request), title=form.cleaned_data["title"],
                description=form.cleaned_data["description"], due_on=form.cleaned_data["due_on"],
                questions=questions, organizations=form.cleaned_data["organizations"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The survey was saved as a draft. Send it to open it."))
            return redirect(survey)
    return render(request, "reporting/survey_form.html", {"form": form, "formset": formset})


def _visible_survey(request, pk: int) -> Survey:
    survey = survey_selectors.survey_list(user=request.user).filter(pk=pk).first()
    if survey is None:
        raise Http404("survey")
    return survey


@login_required
def survey_detail(request, pk: int):
    """Results: per-question tables (always) with bar charts, and who has answered."""
    survey = _visible_survey(request, pk)
    recipients = list(survey_selectors.recipients_for(user=request.user, survey=survey))
    return render(request, "reporting/survey_detail.html", {
        "survey": survey, "recipients": recipients, "is_admin": _is_admin(request.user),
        "results": survey_selectors.survey_aggregate(survey=survey, recipients=recipients),
        "questions": list(survey.questions.all()),
        "panels": survey_panels.render_list(request, survey=survey),
    })


def _survey_action(request, pk, service, done_message):
    return _admin_action(request, Survey, pk, service, done_message, argument="survey")


@login_required
@require_POST
def survey_open(request, pk: int):
    return _survey_action(request, pk, survey_services.survey_open, _("The survey was sent."))


@login_required
@require_POST
def survey_close(request, pk: int):
    return _survey_action(request, pk, survey_services.survey_close, _("The survey is closed."))


@login_required
def survey_answer(request, pk: int):
    recipient = get_object_or_404(SurveyRecipient.objects.select_related("survey", "organization"), pk=pk)
    if recipient.survey.status == SurveyStatus.DRAFT or not selectors.can_view_return(request.user, recipient):
        raise Http404("survey response")
    editable = (survey_services.can_answer_survey(request.user, recipient)
                and recipient.survey.status == SurveyStatus.OPEN)
    questions = list(recipient.survey.questions.filter(withdrawn_at__isnull=True))
    answers = {a.question_id: a for a in recipient.answers.all()}
    form = SurveyAnswerForm(request.POST or None, request.FILES or None, questions=questions, answers=answers,
                            editable=editable)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(bilingual("この調査に回答できません", "You may not answer this survey"))
        if form.is_valid():
            values, files = form.values()
            submit = request.POST.get("action") == "submit"
            try:
                survey_services.survey_answer_save(actor=Actor.from_request(request), recipient=recipient,
                                                   values=values, files=files, submit=submit)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your answers were submitted.") if submit else _("Your answers were saved."))
                return redirect(recipient)
    return render(request, "reporting/survey_answer.html", {
        "recipient": recipient, "survey": recipient.survey, "form": form, "editable": editable,
        "answers": answers,
    })


@login_required
def survey_file(request, pk: int):
    """A file answer, served only to those who may see the organization's response (never a public URL)."""
    answer = get_object_or_404(Answer.objects.select_related("recipient__survey"), pk=pk)
    recipient = answer.recipient
    if not answer.file or recipient.survey.status == SurveyStatus.DRAFT or not selectors.can_view_return(
            request.user, recipient):
        raise Http404("file")
    return FileResponse(answer.file.open("rb"), as_attachment=True, filename=answer.value or answer.file.name)


@login_required
def survey_export(request, pk: int, fmt: str):
    """All responses as CSV (UTF-8 with BOM, opens in Excel) or XLSX (one sheet)."""
    survey = _visible_survey(request, pk)
    recipients = list(survey_selectors.recipients_for(user=request.user, survey=survey))
    header, rows = survey_selectors.survey_export_rows(survey=survey, recipients=recipients)
    filename = f"survey-{survey.pk}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([spreadsheet_safe(h) for h in header])
        writer.writerows([[spreadsheet_safe(v) for v in row] for row in rows])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "responses"
        ws.append([spreadsheet_safe(h) for h in header])
        for row in rows:
            ws.append([spreadsheet_safe(v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404(fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


