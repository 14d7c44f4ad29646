from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ASPECTS, RATING_FIELD_CHOICES, BaselineKind, RatingSource

ASPECT_LABELS = {"schedule": _("Schedule"), "cost": _("Cost"), "scope": _("Scope"), "quality": _("Quality"),
                 "staffing": _("Staffing"), "risk": _("Risk")}


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class StatusReportForm(forms.Form):
    """A status report as the PJMO files it: a 3-point rating of their own (imports keep other scales)."""

    period_end = forms.DateField(label=_("Period ending"), widget=forms.DateInput(attrs={"type": "date"}))
    overall = forms.ChoiceField(label=_("Overall rating"), choices=RATING_FIELD_CHOICES, widget=forms.RadioSelect)
    source = forms.ChoiceField(label=_("Rating source"), choices=RatingSource.choices, required=False,
                               initial=RatingSource.SELF_ASSESSMENT)
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 5}))
    forecast_cost_yen = forms.IntegerField(label=_("Forecast total cost (yen)"), min_value=0, required=False)
    forecast_cost_withheld = forms.BooleanField(label=_("Forecast cost withheld"), required=False)
    forecast_end_on = forms.DateField(label=_("Forecast completion date"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for aspect in ASPECTS:
            self.fields[aspect] = forms.ChoiceField(label=ASPECT_LABELS[aspect], choices=RATING_FIELD_CHOICES,
                                                    widget=forms.RadioSelect)

    def rating_fields(self):
        return [self[a] for a in ("overall", *ASPECTS)]


class BaselineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BaselineKind.choices)
    cost_yen = forms.IntegerField(label=_("Baseline total cost (yen)"), min_value=0, required=False)
    cost_withheld = forms.BooleanField(label=_("Baseline cost withheld"), required=False)
    end_on = forms.DateField(label=_("Baseline completion date"), required=False,
                             widget=forms.DateInput(attrs={"type": "date"}))
    set_on = forms.DateField(label=_("Set on"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason (required when rebaselining)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
