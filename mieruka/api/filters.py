"""The filter backends of every list: the app's FilterSet with errors in both languages, and the
created/last-updated range filters every list accepts for incremental synchronisation."""

from __future__ import annotations

from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

from mieruka.core.errors import bilingual


def bilingual_form_errors(form) -> dict[str, list[str]]:
    """A form's errors, each "日本語 / English" (Django's own messages come in one language otherwise)."""
    out: dict[str, list[str]] = {}
    for name, errors in form.errors.as_data().items():
        messages = []
        for error in errors:
            with translation.override("ja"):
                ja = " ".join(str(m) for m in error.messages)
            with translation.override("en"):
                en = " ".join(str(m) for m in error.messages)
            messages.append(ja if (" / " in ja or ja == en) else bilingual(ja, en))
        out[name] = messages
    return out


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing invalid values with bilingual messages naming the filter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError(bilingual_form_errors(filterset.form))
        return filterset.qs
