"""Base serializers every app's `api/serializers.py` builds on, and the error shape for the schema.

Input and output are separate classes: an output serializer says what a record looks like (references by
their natural keys, restricted fields dropped without clearance); an input serializer only parses and
validates what a client sends, and its `validated_data` goes to the app's service — never `save()`.
"""

from functools import cache

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers
from rest_framework.reverse import reverse

from mieruka.core.errors import bilingual

from .permissions import restricted_fields

BRIEF_FIELDS = ("id", "code", "display", "url")


@cache
def _routes() -> dict:
    """model → (route name, lookup field) of every endpoint registered in mieruka/api/urls.py."""
    from .urls import router  # the router imports every app's views, which import this module

    routes = {}
    for _prefix, viewset, basename in router.registry:
        model = getattr(getattr(getattr(viewset, "serializer_class", None), "Meta", None), "model", None)
        if model is not None:
            routes.setdefault(model, (f"api:{basename}-detail", getattr(viewset, "lookup_field", "pk")))
    return routes


def natural_key_field(model) -> str | None:
    """The field that keys `model`'s records in API URLs (`code`, `system_id`, …); None for numeric IDs."""
    route = _routes().get(model)
    return None if route is None or route[1] in ("pk", "id") else route[1]


def record_code(instance) -> str | None:
    """The record's natural key as its URL uses it (organization code, system ID…); None if it has none."""
    route = _routes().get(type(instance))
    if route is None or route[1] in ("pk", "id"):
        return None
    return getattr(instance, route[1])


def record_url(instance, request) -> str | None:
    """The record's address in the API."""
    route = _routes().get(type(instance))
    if route is None:
        return None
    name, lookup = route
    value = instance.pk if lookup in ("pk", "id") else getattr(instance, lookup)
    key = "pk" if lookup in ("pk", "id") else lookup
    return reverse(name, kwargs={key: value}, request=request)


class BriefRecordSerializer(serializers.Serializer):
    """A record in brief: how `?brief=1` lists it and how other records refer to it."""

    id = serializers.IntegerField()
    code = serializers.CharField(
        allow_null=True, help_text="Its natural key (organization code, system ID, …); null if it has none."
    )
    display = serializers.CharField(help_text="How people name it.")
    url = serializers.URLField(allow_null=True, help_text="Its address in this API.")


def brief(instance, request) -> dict:
    return {"id": instance.pk, "code": record_code(instance), "display": str(instance),
            "url": record_url(instance, request)}


@extend_schema_field(BriefRecordSerializer)
class BriefRelatedField(serializers.RelatedField):
    """A related record nested briefly: id, code, display and url."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return brief(value, self.context.get("request"))


def _is_top_level(serializer) -> bool:
    parent = serializer.parent
    return parent is None or (isinstance(parent, serializers.ListSerializer) and parent.parent is None)


def representation_params(request) -> tuple[bool, list[str] | None]:
    """(`?brief=`, `?fields=`) of a request."""
    params = getattr(request, "query_params", {}) if request is not None else {}
    raw_brief = params.get("brief")
    if raw_brief is not None and raw_brief.lower() not in ("1", "true", "0", "false"):
        raise exceptions.ValidationError({"brief": [bilingual(
            "brief には 1/true または 0/false を指定してください", "Give brief as 1/true or 0/false")]})
    wanted = params.get("fields")
    names = [n.strip() for n in wanted.split(",") if n.strip()] if wanted is not None else None
    return bool(raw_brief) and raw_brief.lower() in ("1", "true"), names


class OutputSerializer(serializers.ModelSerializer):
    """A read-only record; fields in `RESTRICTED_FIELDS` are left out for users without clearance.

    Every record carries its `url` and `display`; records it refers to are nested briefly (id, code,
    display, url). At the top level of a response `?brief=1` reduces it to id, code, display and url, and
    `?fields=a,b` to the fields named.
    """

    url = serializers.SerializerMethodField(help_text="This record's address in the API.")
    display = serializers.SerializerMethodField(help_text="How people name this record.")

    def get_url(self, obj) -> str | None:
        return record_url(obj, self.context.get("request"))

    def get_display(self, obj) -> str:
        return str(obj)

    def get_field_names(self, declared_fields, info):
        names = list(super().get_field_names(declared_fields, info))
        return [*names, *(n for n in ("url", "display") if n not in names)]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        for name in restricted_fields(self.Meta.model, getattr(request, "user", None)):
            fields.pop(name, None)
        for name, field in list(fields.items()):
            field.read_only = True
            source = {"source": field.source} if field.source and field.source != name else {}
            if isinstance(field, serializers.ManyRelatedField) and isinstance(
                    field.child_relation, serializers.SlugRelatedField):
                fields[name] = BriefRelatedField(many=True, help_text=field.help_text, **source)
            elif isinstance(field, serializers.SlugRelatedField):
                fields[name] = BriefRelatedField(help_text=field.help_text, allow_null=field.allow_null, **source)
        if _is_top_level(self):
            fields = self._select(fields, request)
        return fields

    def _select(self, fields, request):
        is_brief, names = representation_params(request)
        if is_brief:
            fields = {name: fields[name] for name in ("id", "display", "url") if name in fields}
            fields["code"] = serializers.SerializerMethodField(method_name="get_code")
            return fields
        if names is not None:
            unknown = [n for n in names if n not in fields]
            if unknown or not names:
                raise exceptions.ValidationError({"fields": [bilingual(
                    "次の項目はありません: " + ", ".join(unknown[:10]) + "。使える項目: " + ", ".join(fields),
                    "No such field: " + ", ".join(unknown[:10]) + "; the fields are: " + ", ".join(fields),
                )]})
            return {name: fields[name] for name in names}
        return fields

    def get_code(self, obj) -> str | None:
        return record_code(obj)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if _is_top_level(self) and representation_params(self.context.get("request"))[0]:
            return {key: data.get(key) for key in BRIEF_FIELDS}
        return data


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

    def to_internal_value(self, data):
        # A reference may be sent as its code or as the brief record a read returned ({"code": …}), so a
        # record read from the API can be sent back as it is.
        if isinstance(data, dict):
            data = dict(data)
            for name, field in self.fields.items():
                if name not in data:
                    continue
                if isinstance(field, serializers.SlugRelatedField) and isinstance(data[name], dict):
                    data[name] = data[name].get("code")
                elif isinstance(field, serializers.PrimaryKeyRelatedField) and isinstance(data[name], dict):
                    data[name] = data[name].get("id")
                elif isinstance(field, serializers.ManyRelatedField) and isinstance(data[name], list):
                    data[name] = [v.get("code") if isinstance(v, dict) else v for v in data[name]]
        return super().to_internal_value(data)

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
