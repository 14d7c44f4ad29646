from django import forms
from django.utils.translation import gettext_lazy as _

from mieruka.core.errors import bilingual
from mieruka.core.permissions import editable_organization_ids, is_digital_agency
from mieruka.inventory.forms import (
    BilingualFormMixin,
    ListTextareaField,
    OrganizationTreeChoiceField,
    _ReasonMixin,
)
from mieruka.inventory.models import InformationSystem, Project

from .choices import DecisionKind
from .models import Initiative, MidTermPlan
from .services import INITIATIVE_EDITABLE, PLAN_EDITABLE


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


class PlanForm(BilingualFormMixin, _ReasonMixin, forms.ModelForm):
    """A mid-term plan. Its code and organization are its identity: fixed once it is created."""

    organization = OrganizationTreeChoiceField(label=_("Organization"))

    class Meta:
        model = MidTermPlan
        fields = ["code", "organization", "title", "start_year", "end_year", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"code": {"unique": bilingual("この計画コードは既に使われています",
                                                       "This plan code is already used")}}

    def __init__(self, *args, editing: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(required=editing)
        if editing:
            for name in ("code", "organization"):
                self.fields[name].disabled = True
        elif user is not None and not is_digital_agency(user):
            # A PJMO plans for its own ministry only.
            self.fields["organization"].limit_to(editable_organization_ids(user))

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in PLAN_EDITABLE}


class InitiativeForm(BilingualFormMixin, _ReasonMixin, forms.ModelForm):
    """An initiative of a plan, with its target and the systems and projects it is measured on."""

    system_ids = ListTextareaField(label=_("Systems (system IDs)"), required=False,
                                   help_text=_("One system ID per line (or separated by ;)."))
    project_ids = ListTextareaField(label=_("Projects (project IDs)"), required=False,
                                    help_text=_("One project ID per line (or separated by ;)."))

    class Meta:
        model = Initiative
        fields = ["code", "title", "description", "metric", "base_year", "target_year", "target_reduction_pct"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(required=editing)
        if editing:
            self.fields["code"].disabled = True
            if not self.is_bound:
                self.initial["system_ids"] = list(self.instance.systems.values_list("system_id", flat=True))
                self.initial["project_ids"] = list(self.instance.projects.values_list("project_id", flat=True))

    def _lookup(self, model, field: str, ids: list[str], label_ja: str, label_en: str) -> list:
        found = {getattr(o, field): o for o in model.objects.filter(**{f"{field}__in": ids})}
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(bilingual(f"{label_ja}が見つかりません: {', '.join(missing)}",
                                                  f"Unknown {label_en}: {', '.join(missing)}"))
        return [found[i] for i in ids]

    def clean_system_ids(self):
        return self._lookup(InformationSystem, "system_id", self.cleaned_data["system_ids"], "システム", "systems")

    def clean_project_ids(self):
        return self._lookup(Project, "project_id", self.cleaned_data["project_ids"], "プロジェクト", "projects")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in INITIATIVE_EDITABLE}
        data["systems"] = self.cleaned_data.get("system_ids", [])
        data["projects"] = self.cleaned_data.get("project_ids", [])
        return data
