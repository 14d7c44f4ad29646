"""Presenting audit rows to people: field labels and readable values instead of raw JSON."""

from dataclasses import dataclass

from django.db import models

from .models import ObjectChange


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


class ValueFormatter:
    """Turns stored snapshot values into labels; caches related-object look-ups across rows."""

    def __init__(self):
        self._cache: dict[tuple[type, object], str] = {}

    def _related_label(self, model: type[models.Model], pk) -> str:
        key = (model, pk)
        if key not in self._cache:
            obj = model._default_manager.filter(pk=pk).first()
            self._cache[key] = str(obj) if obj is not None else f"#{pk}"
        return self._cache[key]

    def format(self, model: type[models.Model] | None, name: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a field removed since the change was recorded
                field = None
        if field is not None and field.choices and not field.many_to_many:
            return str(dict(field.flatchoices).get(value, value))
        if field is not None and field.many_to_many and isinstance(value, list):
            return ", ".join(self._related_label(field.related_model, pk) for pk in value)
        if field is not None and field.many_to_one:
            return self._related_label(field.related_model, value)
        if isinstance(value, bool):
            return "○" if value else "×"
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if isinstance(value, int) and name.endswith("_yen"):
            return f"{value:,}円"
        return str(value)

    def label(self, model: type[models.Model] | None, name: str) -> str:
        if model is not None:
            try:
                return str(model._meta.get_field(name).verbose_name)
            except Exception:  # noqa: BLE001
                pass
        return name


def change_fields(change: ObjectChange, formatter: ValueFormatter | None = None, user=None) -> list[FieldChange]:
    """The field-level diff of one change, labelled for display, without fields `user` may not see."""
    from .permissions import hidden_fields

    formatter = formatter or ValueFormatter()
    model = change.changed_object_type.model_class()
    hidden = hidden_fields(user, model)
    return [
        FieldChange(name=name, label=formatter.label(model, name),
                    before=formatter.format(model, name, before), after=formatter.format(model, name, after))
        for name, before, after in change.diff() if name not in hidden
    ]


def snapshot_fields(model: type[models.Model], data: dict, formatter: ValueFormatter | None = None):
    """(label, value) pairs of a stored snapshot, for the "as it stood on" pages."""
    formatter = formatter or ValueFormatter()
    return [(formatter.label(model, k), formatter.format(model, k, v)) for k, v in data.items()]
