from django import forms
from django.utils.translation import gettext_lazy as _

from . import zerotrust
from .choices import FindingStatus, ReadinessState
from .models import SecurityFinding


class FindingCreateForm(forms.ModelForm):
    """A new continuous-diagnosis finding; its due date follows the severity's SLA."""

    class Meta:
        model = SecurityFinding
        fields = ["finding_id", "title", "severity", "found_on", "source"]
        widgets = {"found_on": forms.DateInput(attrs={"type": "date"})}


class FindingStatusForm(forms.Form):
    finding_id = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Finding status"), choices=FindingStatus.choices)
    fixed_on = forms.DateField(label=_("Date fixed"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    acceptance_reason = forms.CharField(label=_("Reason the risk is accepted"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))


class ZeroTrustForm(forms.Form):
    item = forms.ChoiceField(label=_("Checklist item"), choices=[(i.code, i.label) for i in zerotrust.ITEMS])
    state = forms.ChoiceField(label=_("Readiness"), choices=ReadinessState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


