from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MunicipalMigration


class MunicipalMigrationForm(forms.ModelForm):
    """One municipality's business area: system, status and dates, designation, costs, and a reason."""

    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=500)

    class Meta:
        model = MunicipalMigration
        fields = ["current_system", "vendor", "package", "status", "target_on", "completed_on",
                  "specific_support", "specific_support_reason", "specific_support_deadline_fy",
                  "baseline_cost_yen", "current_cost_yen"]
        widgets = {"target_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "completed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "specific_support_reason": forms.Textarea(attrs={"rows": 3})}
