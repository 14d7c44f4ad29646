from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.core.choices import Role
from mieruka.core.errors import bilingual
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import Project

from .choices import FindingCategory, FindingKind, FindingStatus, FollowUp, ReviewStage, ReviewState, Severity
from .filtersets import fiscal_year_choices


def reviewer_queryset():
    return get_user_model().objects.filter(
        is_active=True, mieruka_role__role__in=[Role.REVIEWER, Role.ADMIN]
    ).order_by("username")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{obj.get_username()}（{name}）" if name else obj.get_username()


class ReviewCreateForm(forms.Form):
    project_id = forms.CharField(label=_("Project ID"), max_length=32)
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), choices=fiscal_year_choices, coerce=int)
    stage = forms.ChoiceField(label=_("Review"), choices=ReviewStage.choices)
    reviewer = UserChoiceField(label=_("Reviewer"), queryset=reviewer_queryset(), required=False,
                               empty_label=_("Not yet assigned"))
    summary = forms.CharField(label=_("Summary of the submission"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False)

    def clean_project_id(self):
        value = self.cleaned_data["project_id"].strip()
        # Another organization's project the user may not read does not exist for them: the same answer
        # as for an unknown ID, so the form cannot be used to probe which projects exist.
        projects = scope_queryset(self.user, Project.objects.select_related("organization"))
        project = projects.filter(project_id=value).first()
        if project is None:
            raise forms.ValidationError(bilingual(f"プロジェクト {value} は存在しません", f"No project {value}"))
        self.project = project
        return value

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["reviewer"].queryset = reviewer_queryset()


class TransitionForm(forms.Form):
    to_state = forms.ChoiceField(label=_("New state"), choices=ReviewState.choices)
    reason = forms.CharField(label=_("Reason or conclusion"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM)
    category = forms.ChoiceField(label=pgettext_lazy("finding", "Category"), choices=FindingCategory.choices)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}),
                                     required=False)
    owner = UserChoiceField(label=_("Owner"), queryset=get_user_model().objects.none(), required=False,
                            empty_label=_("No owner yet"))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners if owners is not None else get_user_model().objects.none()


class FindingUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Follow-up status"), choices=FindingStatus.choices)
    response = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FollowUpForm(forms.Form):
    mode = forms.ChoiceField(label=_("Follow-up"), choices=FollowUp.choices)
    support_reviewer = UserChoiceField(label=_("Supporting reviewer"), queryset=reviewer_queryset(), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_reviewer"].queryset = reviewer_queryset()
