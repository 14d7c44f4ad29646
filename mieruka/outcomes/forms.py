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
from mieruka.inventory.models import InformationSystem

from .choices import KpiDirection, KpiLevel, KpiTerm
from .models import Kpi, Service
from .services import KPI_EDITABLE, SERVICE_EDITABLE

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _lookup(model, field: str, ids: list[str], label_ja: str, label_en: str) -> list:
    found = {getattr(o, field): o for o in model.objects.filter(**{f"{field}__in": ids})}
    missing = [i for i in ids if i not in found]
    if missing:
        raise forms.ValidationError(bilingual(f"{label_ja}が見つかりません: {', '.join(missing)}",
                                              f"Unknown {label_en}: {', '.join(missing)}"))
    return [found[i] for i in ids]


class ServiceForm(BilingualFormMixin, _ReasonMixin, forms.ModelForm):
    """A service and the systems that serve it. Its code and organization are fixed once it exists."""

    organization = OrganizationTreeChoiceField(label=_("Organization"))
    url = forms.URLField(label=_("web page"), required=False, assume_scheme="https")
    system_ids = ListTextareaField(label=_("Systems (system IDs)"), required=False,
                                   help_text=_("One system ID per line (or separated by ;)."))

    class Meta:
        model = Service
        fields = ["code", "organization", "name_ja", "name_en", "description", "url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"code": {"unique": bilingual("このサービスコードは既に使われています",
                                                       "This service code is already used")}}

    def __init__(self, *args, editing: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(required=editing)
        if editing:
            for name in ("code", "organization"):
                self.fields[name].disabled = True
            if not self.is_bound:
                self.initial["system_ids"] = list(self.instance.systems.values_list("system_id", flat=True))
        elif user is not None and not is_digital_agency(user):
            self.fields["organization"].limit_to(editable_organization_ids(user))

    def clean_system_ids(self):
        return _lookup(InformationSystem, "system_id", self.cleaned_data["system_ids"], "システム", "systems")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in SERVICE_EDITABLE}
        data["systems"] = self.cleaned_data.get("system_ids", [])
        return data


class KpiForm(BilingualFormMixin, _ReasonMixin, forms.ModelForm):
    """An indicator: its place in the logic model, unit, direction, target and higher goals."""

    derived_from_codes = ListTextareaField(label=_("Higher goals (indicator codes)"), required=False,
                                           help_text=_("One indicator code per line (or separated by ;)."))

    class Meta:
        model = Kpi
        fields = ["code", "level", "term", "goal", "name_ja", "name_en", "unit", "direction", "target_year",
                  "target_value"]
        error_messages = {"code": {"unique": bilingual("この指標コードは既に使われています",
                                                       "This indicator code is already used")}}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_reason_field(required=editing)
        self.fields["level"].choices = KpiLevel.choices
        self.fields["term"].choices = [("", "—"), *KpiTerm.choices]
        self.fields["direction"].choices = KpiDirection.choices
        if editing:
            self.fields["code"].disabled = True
            if not self.is_bound:
                self.initial["derived_from_codes"] = list(self.instance.derived_from.values_list("code", flat=True))

    def clean_derived_from_codes(self):
        return _lookup(Kpi, "code", self.cleaned_data["derived_from_codes"], "指標", "indicators")

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in KPI_EDITABLE}
        data["derived_from"] = self.cleaned_data.get("derived_from_codes", [])
        return data


class KpiValueForm(BilingualFormMixin, forms.Form):
    """One fiscal year of an indicator; all blank removes the year."""

    fiscal_year = forms.IntegerField(label=_("Fiscal year"), min_value=1989, max_value=2100)
    target = forms.DecimalField(label=_("Target for the year"), required=False, max_digits=18, decimal_places=3)
    actual = forms.DecimalField(label=_("Actual"), required=False, max_digits=18, decimal_places=3)
    actual_withheld = forms.BooleanField(label=_("Actual withheld (非公表)"), required=False)
    reason = forms.CharField(label=_("Reason for change (変更理由)"), required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("actual_withheld") and cleaned.get("actual") is not None:
            self.add_error("actual", bilingual("非公表の実績値に数値は入れられません",
                                               "A withheld actual cannot also have a value"))
        return cleaned


class RsImportForm(forms.Form):
    file = forms.FileField(label=_("RS 3-1 sheet (CSV, UTF-8 or Shift_JIS)"))
    dry_run = forms.BooleanField(label=_("Check only (change nothing)"), required=False)
    reason = forms.CharField(label=_("Reason for change (変更理由)"), required=False, max_length=2000)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(bilingual("ファイルが大きすぎます（上限5MB）",
                                                  "The file is too large (at most 5 MB)"))
        return upload
