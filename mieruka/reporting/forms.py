"""Forms of the reporting pages: they parse input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import organization_choices_tree

from . import fields as registry
from .choices import ItemState, QuestionKind
from .models import Question, ReturnItem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganizationsField(forms.TypedMultipleChoiceField):
    """Organizations in tree order (indented) as checkboxes-free multi-select, returning model instances."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, **kwargs)
        self.widget = forms.SelectMultiple(attrs={"size": 12})

    def refresh(self):
        self.choices = organization_choices_tree()

    def clean(self, value):
        ids = super().clean(value)
        by_id = Organization.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    fields = forms.MultipleChoiceField(label=_("Fields asked"), widget=forms.CheckboxSelectMultiple,
                                       help_text=_("Only what is truly needed: every field asked costs each "
                                                   "organization time."))
    organizations = OrganizationsField(label=_("Organizations asked"),
                                       help_text=_("Each organization answers for the records of its subtree."))
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    fiscal_year = forms.IntegerField(label=_("Fiscal year (for budget fields)"), required=False,
                                     min_value=1989, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = registry.field_choices()
        self.fields["organizations"].refresh()


def item_field(item: ReturnItem, choices_cache: dict | None = None) -> forms.Field:
    """The form field that edits one return item, with the pre-filled value (or the answer) as initial."""
    spec = registry.FIELDS[item.field]
    cache = {} if choices_cache is None else choices_cache

    def spec_choices():
        # One look-up per field per page, not per record (shared platforms come from the database).
        if spec.key not in cache:
            cache[spec.key] = list(spec.choices())
        return list(cache[spec.key])

    initial = item.answer if item.state == ItemState.CHANGED else item.prefilled
    common = {"label": spec.label, "required": False, "initial": initial}
    if spec.kind == registry.CHOICE:
        choices = spec_choices()
        if initial not in dict(choices):
            choices = [(initial or "", initial or "—")] + choices
        return forms.ChoiceField(choices=choices, **common)
    if spec.kind in (registry.MULTI, registry.PLATFORMS):
        choices = spec_choices()
        known = {c for c, _label in choices}
        choices += [(v, v) for v in (initial or []) if v not in known]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if spec.kind in (registry.INTEGER, registry.YEN):
        return forms.IntegerField(min_value=0, **common)
    if spec.kind == registry.DECIMAL:
        return forms.DecimalField(min_value=0, max_digits=7, decimal_places=2, **common)
    if spec.kind == registry.DATE:
        return forms.DateField(widget=DateInput(), **common)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)


class ReturnForm(forms.Form):
    """The editable fields of the items on one page of a return."""

    def __init__(self, *args, items: list[ReturnItem], editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cache: dict = {}
        for item in items:
            field = item_field(item, cache)
            field.disabled = not editable
            self.fields[f"item_{item.pk}"] = field

    def answers(self) -> dict[int, object]:
        return {int(name.removeprefix("item_")): value for name, value in self.cleaned_data.items()}


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Reason for sending back"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


# ------------------------------------------------------------------ surveys


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    organizations = OrganizationsField(label=_("Organizations asked"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].refresh()


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices, initial=QuestionKind.TEXT)
    choices = forms.CharField(label=_("Choices (one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    required = forms.BooleanField(label=_("Required"), required=False)

    def as_question(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("text"):
            return None
        return {"text": data["text"], "kind": data["kind"], "required": data.get("required", False),
                "choices": [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]}


QuestionFormSet = forms.formset_factory(QuestionForm, extra=5, max_num=50)


class SurveyAnswerForm(forms.Form):
    """One field per question; values are checked again by the service."""

    def __init__(self, *args, questions: list[Question], answers: dict, editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for q in questions:
            answer = answers.get(q.pk)
            initial = answer.value if answer is not None else None
            common = {"label": f"Q{q.position}. {q.text}", "required": False, "initial": initial,
                      "disabled": not editable}
            if q.kind == QuestionKind.NUMBER:
                field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
            elif q.kind == QuestionKind.DATE:
                field = forms.DateField(widget=DateInput(), **common)
            elif q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(choices=[(c, c) for c in q.choices], widget=forms.RadioSelect, **common)
            elif q.kind == QuestionKind.MULTI:
                field = forms.MultipleChoiceField(choices=[(c, c) for c in q.choices],
                                                  widget=forms.CheckboxSelectMultiple, **common)
            elif q.kind == QuestionKind.FILE:
                field = forms.FileField(**common)
                field.initial = None
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
            field.question = q
            self.fields[f"q_{q.pk}"] = field

    def values(self) -> tuple[dict[int, object], dict[int, object]]:
        values, files = {}, {}
        for name, value in self.cleaned_data.items():
            q = self.fields[name].question
            if q.kind == QuestionKind.FILE:
                if value:
                    files[q.pk] = value
            else:
                values[q.pk] = value
        return values, files
