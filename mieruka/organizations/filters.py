"""The organization filter of every list: a choice of organizations by code, subtree included.

The choices leave out the 1,741 municipalities (a select of two thousand entries helps nobody, and every
list page would carry it); their prefectures stand for them. A link may still name any organization,
municipality included (`?organization=LG-131016`): the code is accepted when it exists and is then shown
as the chosen entry.
"""

import django_filters
from django_filters.fields import ChoiceField

from mieruka.core.errors import english_is_active

from .models import Organization
from .selectors import organization_code_choices_tree


class OrganizationCodeField(ChoiceField):
    def valid_value(self, value):
        if super().valid_value(value):
            return True
        organization = Organization.objects.filter(code=str(value)).only("code", "name_ja", "name_en").first()
        if organization is None:
            return False
        label = (english_is_active() and organization.name_en) or organization.name_ja
        self.choices = [*self.choices, (organization.code, label)]
        return True


class OrganizationCodeFilter(django_filters.ChoiceFilter):
    field_class = OrganizationCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", organization_code_choices_tree)
        super().__init__(*args, **kwargs)
