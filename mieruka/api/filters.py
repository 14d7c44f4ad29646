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


class SyncFilterBackend:
    """`created__gte`, `created__lte`, `last_updated__gte`, `last_updated__lte` (and `time__…` on the change
    log) on every list, for incremental synchronisation: "what changed since my last run".

    Values are ISO 8601 date-times (`2025-04-01T00:00:00+09:00`; without an offset, Japan time) or dates
    (`2025-04-01`: from the start of that day for __gte, to its end for __lte).
    """

    FIELDS = ("created", "last_updated", "time")

    def query_params(self, view) -> list[str]:
        model = _view_model(view)
        if model is None:
            return []
        names = {f.name for f in model._meta.get_fields()}
        return [f"{field}__{op}" for field in self.FIELDS if field in names for op in ("gte", "lte")]

    def filter_queryset(self, request, queryset, view):
        errors = {}
        for name in self.query_params(view):
            raw = request.query_params.get(name)
            if raw is None:
                continue
            value = _parse_moment(raw, end_of_day=name.endswith("__lte"))
            if value is None:
                errors[name] = [bilingual(
                    "日時（例: 2025-04-01T09:00:00+09:00）または日付（例: 2025-04-01）を指定してください",
                    "Give a date-time (e.g. 2025-04-01T09:00:00+09:00) or a date (e.g. 2025-04-01)",
                )]
                continue
            queryset = queryset.filter(**{name: value})
        if errors:
            raise exceptions.ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": ("Records {what} at or {side} this moment: an ISO 8601 date-time, or a date "
                                "(the start of that day for __gte, its end for __lte).").format(
                    what="created" if name.startswith("created") else "last changed",
                    side="after" if name.endswith("gte") else "before"),
                "schema": {"type": "string"},
            }
            for name in self.query_params(view)
        ]


def _view_model(view):
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def _parse_moment(raw: str, *, end_of_day: bool):
    import datetime

    from django.utils import dateparse, timezone

    try:
        moment = dateparse.parse_datetime(raw)
        if moment is None:
            day = dateparse.parse_date(raw)
            if day is None:
                return None
            moment = datetime.datetime.combine(day, datetime.time.max if end_of_day else datetime.time.min)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
