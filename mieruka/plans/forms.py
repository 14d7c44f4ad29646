from django import forms
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.inventory.models import InformationSystem, Project

from .choices import DecisionKind


class DecisionForm(forms.Form):
    target = forms.CharField(label=_("System ID or project ID"), max_length=32)
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices)
    merged_into = forms.CharField(label=_("Merged into (system ID, for a merge)"), max_length=32, required=False)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))
    decided_by = forms.CharField(label=_("Decided by"), max_length=200)
    effective_year = forms.IntegerField(label=_("Effective from fiscal year"), min_value=1989, max_value=2100)
    retire_by = forms.DateField(
        label=_("To be retired by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a stop or merge. Blank: 31 March before the effective fiscal year."),
    )
    successor = forms.CharField(label=_("Successor system (system ID, for a stop)"), max_length=32, required=False)

    def clean_target(self):
        value = self.cleaned_data["target"].strip()
        self.system = InformationSystem.objects.filter(system_id=value).first()
        self.project = None if self.system else Project.objects.filter(project_id=value).first()
        if self.system is None and self.project is None:
            raise forms.ValidationError(bilingual(f"{value} というシステム・プロジェクトはありません",
                                                  f"No system or project {value}"))
        return value

    def clean_merged_into(self):
        value = self.cleaned_data["merged_into"].strip()
        self.merged_into = None
        if value:
            self.merged_into = InformationSystem.objects.filter(system_id=value).first()
            if self.merged_into is None:
                raise forms.ValidationError(bilingual(f"システム {value} はありません", f"No system {value}"))
        return value

    def clean_successor(self):
        value = self.cleaned_data["successor"].strip()
        self.successor = None
        if value:
            self.successor = InformationSystem.objects.filter(system_id=value).first()
            if self.successor is None:
                raise forms.ValidationError(bilingual(f"システム {value} はありません", f"No system {value}"))
        return value
