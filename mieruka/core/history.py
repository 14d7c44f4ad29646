"""Presenting audit rows to people: field labels and readable values instead of raw JSON.

One formatter serves every page that shows the trail (the change log, History pages, the history panel
of a record, "as it stood on"), so a value reads the same wherever it appears.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language, gettext

from .formatting import fiscal_year_label, yen_exact
from .models import ObjectChange


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field removed since the change was recorded
        return None


def _record_label(obj: models.Model) -> str:
    """How the trail names a linked record: its short code where the model names one (`audit_label_field`)."""
    field = getattr(type(obj), "audit_label_field", None)
    return str(getattr(obj, field)) if field else str(obj)


class ValueFormatter:
    """Turns stored snapshot values into labels; caches the names of linked records across rows.

    `prefetch` loads the names for a whole page of changes in one query per linked model, so a history
    page costs the same number of queries whatever it shows.
    """

    def __init__(self):
        self._names: dict[tuple[type, object], str] = {}

    def prefetch(self, changes: Iterable[ObjectChange]) -> "ValueFormatter":
        wanted: dict[type, set] = {}
        for change in changes:
            model = change.changed_object_type.model_class()
            for data in (change.prechange_data or {}, change.postchange_data or {}):
                for name, value in data.items():
                    field = _field(model, name)
                    if field is not None and (field.many_to_one or field.many_to_many):
                        values = value if isinstance(value, list) else [value]
                        wanted.setdefault(field.related_model, set()).update(
                            v for v in values if v is not None and (field.related_model, v) not in self._names)
        for model, pks in wanted.items():
            for obj in model._default_manager.filter(pk__in=pks):
                self._names[(model, obj.pk)] = _record_label(obj)
        return self

    def _name(self, model: type[models.Model], pk) -> str:
        key = (model, pk)
        if key not in self._names:
            obj = model._default_manager.filter(pk=pk).first()
            self._names[key] = _record_label(obj) if obj is not None else f"#{pk}"
        return self._names[key]

    def format(self, model: type[models.Model] | None, name: str, value) -> str:
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        field = _field(model, name)
        # List fields stored as JSON name their labels on the model (e.g. the user groups of a system).
        choices = getattr(field, "choices", None) or getattr(model, "audit_list_choices", {}).get(name)
        if choices and not getattr(field, "many_to_many", False):
            labels = dict(choices)
            if isinstance(value, list):
                return ", ".join(str(labels.get(v, v)) for v in value)
            return str(labels.get(value, value))
        if field is not None and (field.many_to_one or field.many_to_many):
            values = value if isinstance(value, list) else [value]
            return ", ".join(self._name(field.related_model, v) for v in values)
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if isinstance(value, int) and (name == "fiscal_year" or name.endswith("_year")):
            return fiscal_year_label(value, lang=get_language() or "ja")
        if isinstance(value, int) and name.endswith("_yen"):
            return yen_exact(value)
        if isinstance(value, int) and field is not None and field.get_internal_type() == "PositiveBigIntegerField":
            return f"{value:,}"
        return str(value)

    def label(self, model: type[models.Model] | None, name: str) -> str:
        field = _field(model, name)
        return str(field.verbose_name) if field is not None else name


def change_fields(change: ObjectChange, formatter: ValueFormatter | None = None, user=None) -> list[FieldChange]:
    """The field-level diff of one change, labelled for display, without fields `user` may not see.

    A creation has no "before" and a deletion no "after": those sides are left empty, not shown as "—".
    """
    from .permissions import hidden_fields

    formatter = formatter or ValueFormatter()
    model = change.changed_object_type.model_class()
    hidden = hidden_fields(user, model)

    def shown(data, name, value):
        return "" if data is None else formatter.format(model, name, value)

    if change.is_grouped:
        return _grouped_fields(change, model, formatter, hidden)
    return [
        FieldChange(name=name, label=formatter.label(model, name),
                    before=shown(change.prechange_data, name, before), after=shown(change.postchange_data, name, after))
        for name, before, after in change.diff() if name not in hidden
    ]


def _grouped_fields(change: ObjectChange, model, formatter: ValueFormatter, hidden) -> list[FieldChange]:
    """A grouped change as one row per record: the record's label (`audit_group_label` of its model) and,
    before and after, the fields that differ — only those in `audit_group_fields` where the model names them
    (for budget lines, the amount; the rest is in the label)."""
    name_of = getattr(model, "audit_group_label", None)
    wanted = getattr(model, "audit_group_fields", None)

    def side(data, names):
        return "" if data is None else " / ".join(formatter.format(model, n, data.get(n)) for n in names)

    rows = []
    for pk, before, after in change.records():
        snapshot = after if after is not None else before
        names = [n for n in snapshot if n not in hidden and (before or {}).get(n) != (after or {}).get(n)]
        names = [n for n in names if wanted is None or n in wanted] or names
        rows.append(FieldChange(name=str(pk), label=name_of(snapshot) if name_of else f"#{pk}",
                                before=side(before, names), after=side(after, names)))
    return rows


def changes_with_fields(changes: Iterable[ObjectChange], user=None) -> list[tuple[ObjectChange, list[FieldChange]]]:
    """Each change with its labelled diff; linked-record names loaded in one query per model."""
    changes = list(changes)
    formatter = ValueFormatter().prefetch(changes)
    return [(change, change_fields(change, formatter, user=user)) for change in changes]



def group_batches(rows: list[tuple[ObjectChange, list[FieldChange]]], *, own_type_id: int | None = None) -> list[dict]:
    """A history page's rows with each batch of attached-record changes folded into one entry.

    Consecutive changes made in one request (one import, one budget edit) to records of one type other
    than the record's own (its budget lines, its interfaces) become {"batch": [...rows], "first": change,
    "count": n}; every other change stays {"row": (change, fields)}. A system's history was pages of one
    card per budget line.
    """
    out: list[dict] = []
    for change, fields in rows:
        last = out[-1] if out else None
        foldable = (change.request_id is not None and change.changed_object_type_id != own_type_id)
        if foldable and last is not None:
            first = last["first"] if "batch" in last else last["row"][0]
            if (first.request_id == change.request_id
                    and first.changed_object_type_id == change.changed_object_type_id
                    and first.changed_object_type_id != own_type_id):
                if "row" in last:
                    out[-1] = last = {"batch": [last["row"]], "first": first}
                last["batch"].append((change, fields))
                last["count"] = len(last["batch"])
                continue
        out.append({"row": (change, fields)})
    return out
