"""Base serializers every app's `api/serializers.py` builds on, and the error shape for the schema.

Input and output are separate classes: an output serializer says what a record looks like (references by
their natural keys, restricted fields dropped without clearance); an input serializer only parses and
validates what a client sends, and its `validated_data` goes to the app's service — never `save()`.
"""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .permissions import restricted_fields


class OutputSerializer(serializers.ModelSerializer):
    """A read-only record; fields in `RESTRICTED_FIELDS` are left out for users without clearance."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        for name in restricted_fields(self.Meta.model, getattr(request, "user", None)):
            fields.pop(name, None)
        for field in fields.values():
            field.read_only = True
        return fields


def _reason_field():
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        write_only=True,
        help_text="Why the change is made; recorded in the change log. Required to change or delete a record "
        "(optional when creating); or send the X-Change-Reason header instead.",
    )


class InputSerializer(serializers.Serializer):
    """What a client may send; `reason` is recorded in the change log (required to change or delete).

    The reason may instead come in the `X-Change-Reason` header (UTF-8, percent-encoded).
    """

    reason = _reason_field()


class ModelInputSerializer(serializers.ModelSerializer):
    """An input serializer that takes field types, choices and validators from the model.

    It only validates: `save()` is never called, the view hands `validated_data` to the service.
    """

    reason = _reason_field()

    def get_field_names(self, declared_fields, info):
        return [*super().get_field_names(declared_fields, info), "reason"]

    def save(self, **kwargs):  # pragma: no cover - a guard against bypassing the services
        raise NotImplementedError("API writes go through the app's services, not serializer.save()")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Machine-readable error code, e.g. validation_error, precondition_failed."
    )
    message_ja = serializers.CharField(help_text="The message in Japanese.")
    message_en = serializers.CharField(help_text="The message in English.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages per field (nested fields as `field.0.sub`); only when fields are at fault.",
    )
    request_id = serializers.CharField(
        help_text="Quote this when asking the administrators; it is also "
        "the batch ID of any change the request made."
    )


# "ErrorResponse", not "Error": a component named like its only property ("error") makes
# openapi-python-client generate code that does not type-check.
@extend_schema_serializer(component_name="ErrorResponse")
class ErrorSerializer(serializers.Serializer):
    """Every error response of the API."""

    error = ErrorDetailSerializer()
