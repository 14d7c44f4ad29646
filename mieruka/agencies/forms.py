"""Forms of the agencies pages: they parse input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GssMigration


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GssMigrationForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)

    class Meta:
        model = GssMigration
        fields = ["status", "planned_on", "merged_on", "staff_count", "note"]
        widgets = {"planned_on": DateInput(), "merged_on": DateInput(),
                   "note": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self):
        # The service validates the whole record (full_clean) inside its transaction; the form only parses.
        pass
