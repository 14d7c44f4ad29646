"""API representation of the change log (read-only)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mieruka.api.permissions import restricted_fields

from ..models import ObjectChange


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
            "object_repr",
            "related_object_type",
            "related_object_id",
            "before",
            "after",
            "reason",
        ]
        read_only_fields = fields

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
