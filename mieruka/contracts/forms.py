from django import forms
from django.utils.translation import gettext_lazy as _

from mieruka.inventory.filtersets import fiscal_year_choices


class InsightForm(forms.Form):
    """The procurement insight page's choices: one fiscal year (or all) and the lock-in threshold."""

    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), required=False, coerce=int, empty_value=None,
        choices=lambda: [("", _("All"))] + fiscal_year_choices(),
    )
    min_years = forms.IntegerField(
        label=_("Lock-in: same vendor for at least (years)"), required=False, min_value=1, max_value=30,
        initial=3,
    )
