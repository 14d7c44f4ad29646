"""API endpoint of the change log: read-only, filtered like the change log page, scoped by organization."""

import django_filters
from django.apps import apps

from mieruka.api.viewsets import PortfolioViewSet

from ..choices import ChangeAction, ChangeSource
from ..models import ObjectChange
from ..selectors import change_list_for_user
from .serializers import ObjectChangeOutputSerializer


def recorded_type_choices() -> list[tuple[str, str]]:
    """`app_label.model` of every record type the change log can hold: Mieruka's own models (in the
    order the apps are installed and the models declared) and the user accounts and groups."""
    names = [
        f"{model._meta.app_label}.{model._meta.model_name}"
        for config in apps.get_app_configs()
        if config.name.startswith("mieruka.") or config.label == "auth"
        for model in config.get_models()
        if config.label != "auth" or model._meta.model_name in ("user", "group")
    ]
    return [(name, name) for name in names]


class ObjectChangeFilterSet(django_filters.FilterSet):
    """TEMPORARY home: the change log page's filters (core/views.py parses them inline); move to
    core/filtersets.py and use it from the page too."""

    user = django_filters.CharFilter(
        field_name="user_name", lookup_expr="icontains", label="Actor (part of name)"
    )
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices)
    source = django_filters.ChoiceFilter(choices=ChangeSource.choices)
    type = django_filters.ChoiceFilter(
        choices=recorded_type_choices(), method="filter_type", label="Record type: app_label.model"
    )
    object_id = django_filters.NumberFilter(field_name="changed_object_id", min_value=0, max_value=2**62)
    request_id = django_filters.UUIDFilter(label="Batch / request ID")
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="From (date)")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="To (date)")

    class Meta:
        model = ObjectChange
        fields: list[str] = []

    def filter_type(self, queryset, name, value):
        app_label, _, model = value.partition(".")
        return queryset.filter(changed_object_type__app_label=app_label, changed_object_type__model=model)


class ObjectChangeViewSet(PortfolioViewSet):
    """Every change to portfolio data, newest first (read-only)."""

    scope_field = None  # scoped by change_list_for_user instead: changes have no organization column
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = ObjectChangeFilterSet
    serializer_class = ObjectChangeOutputSerializer

    def get_base_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, maybe no tables
            return ObjectChange.objects.none()
        return change_list_for_user(user=self.request.user).select_related("related_object_type")
