"""API representation of the change log (read-only)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mieruka.api.permissions import restricted_fields

from ..models import ObjectChange


def _reference_fields(model) -> dict[str, type]:
    """Foreign-key and many-to-many fields of `model` whose target has a natural key in the API."""
    from mieruka.api.serializers import natural_key_field

    if model is None:
        return {}
    out = {}
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.is_relation and field.related_model is not None and natural_key_field(field.related_model):
            out[field.name] = field.related_model
    return out


class ChangeListSerializer(serializers.ListSerializer):
    """A page of changes looks up the codes of every record its snapshots refer to in one query per type."""

    def to_representation(self, data):
        changes = list(data.all() if hasattr(data, "all") else data)
        wanted: dict[type, set] = {}
        for change in changes:
            refs = _reference_fields(change.changed_object_type.model_class())
            for snapshot in (change.prechange_data, change.postchange_data):
                for name, related in refs.items():
                    value = (snapshot or {}).get(name)
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(related, set()).update(i for i in ids if isinstance(i, int))
        codes = self.context.setdefault("reference_codes", {})
        for related, ids in wanted.items():
            from mieruka.api.serializers import natural_key_field

            key = natural_key_field(related)
            codes[related] = dict(related._default_manager.filter(pk__in=ids).values_list("pk", key))
        return super().to_representation(changes)


class ObjectChangeOutputSerializer(serializers.ModelSerializer):
    """One change: who, when, from where, in which batch, what before and after, and why.

    Restricted fields (such as a system's internal notes) are removed from `before` and `after` for
    people without clearance, as they are from the records themselves.
    """

    user = serializers.CharField(source="user_name", read_only=True, help_text="The actor's user name.")
    object_type = serializers.SerializerMethodField(help_text="app_label.model of the changed record.")
    object_id = serializers.IntegerField(
        source="changed_object_id", read_only=True,
        help_text="ID of the changed record; 0 for a grouped change, which covers several records of one type "
                  "filed under the related object (the budget lines an import wrote for one system).",
    )
    related_object_type = serializers.SerializerMethodField(
        help_text="app_label.model of the record the change is filed under (e.g. a budget line's system)."
    )
    before = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()
    object_code = serializers.SerializerMethodField(
        help_text="Natural key of the changed record (system ID, organization code, …) as it stood in the "
                  "change; null for records without one."
    )
    before_codes = serializers.SerializerMethodField()
    after_codes = serializers.SerializerMethodField()

    class Meta:
        model = ObjectChange
        fields = [
            "id",
            "time",
            "user",
            "request_id",
            "source",
            "action",
            "object_type",
            "object_id",
            "object_code",
            "object_repr",
            "related_object_type",
            "related_object_id",
            "before",
            "after",
            "before_codes",
            "after_codes",
            "reason",
        ]
        read_only_fields = fields
        list_serializer_class = ChangeListSerializer

    @extend_schema_field(serializers.CharField())
    def get_object_type(self, obj) -> str:
        ct = obj.changed_object_type
        return f"{ct.app_label}.{ct.model}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_related_object_type(self, obj) -> str | None:
        ct = obj.related_object_type
        return f"{ct.app_label}.{ct.model}" if ct is not None else None

    def _visible(self, obj, data):
        if data is None:
            return None
        model = obj.changed_object_type.model_class()
        request = self.context.get("request")
        hidden = (
            restricted_fields(model, getattr(request, "user", None)) if model is not None else frozenset()
        )
        return {k: v for k, v in data.items() if k not in hidden}

    @extend_schema_field(
        serializers.DictField(allow_null=True, help_text=(
            "Field values before (null on create). A grouped change lists its records in columns: "
            '{"fields": [name, ...], "records": [[id, value, ...], ...]}.'))
    )
    def get_before(self, obj):
        return self._visible(obj, obj.prechange_data)

    @extend_schema_field(
        serializers.DictField(allow_null=True, help_text="Field values after (null on delete); grouped as for before.")
    )
    def get_after(self, obj):
        return self._visible(obj, obj.postchange_data)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_object_code(self, obj) -> str | None:
        from mieruka.api.serializers import natural_key_field

        model = obj.changed_object_type.model_class()
        key = natural_key_field(model) if model is not None else None
        snapshot = obj.postchange_data or obj.prechange_data or {}
        return snapshot.get(key) if key else None

    def _codes(self, obj, snapshot):
        if not snapshot:
            return None
        refs = _reference_fields(obj.changed_object_type.model_class())
        cache = self.context.setdefault("reference_codes", {})
        out = {}
        for name, related in refs.items():
            if name not in snapshot:
                continue
            value = snapshot[name]
            ids = value if isinstance(value, list) else [value]
            known = cache.setdefault(related, {})
            missing = [i for i in ids if isinstance(i, int) and i not in known]
            if missing:
                from mieruka.api.serializers import natural_key_field

                known.update(related._default_manager.filter(pk__in=missing).values_list(
                    "pk", natural_key_field(related)))
            codes = [known.get(i) if isinstance(i, int) else None for i in ids]
            out[name] = codes if isinstance(value, list) else codes[0]
        return out

    @extend_schema_field(serializers.DictField(allow_null=True, help_text=(
        "The records `before` refers to by ID, by their codes instead: "
        '{"organization": "MHLW", "platforms": ["GCLOUD"]} (null where the record no longer exists).')))
    def get_before_codes(self, obj):
        return self._codes(obj, obj.prechange_data)

    @extend_schema_field(serializers.DictField(allow_null=True, help_text="As before_codes, for `after`."))
    def get_after_codes(self, obj):
        return self._codes(obj, obj.postchange_data)
