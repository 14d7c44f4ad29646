"""Webhooks: subscriptions (audited writes), turning committed changes into signed deliveries, sending them.

Events come from the change log: `core.audit` calls the listener this app registers (`ApiConfig.ready`)
with the IDs of the change-log rows of each committed transaction; the listener queues one dispatch task,
which matches the changes to the active subscriptions and queues one delivery per subscription and record.
A record is sent as its subscription's owner would read it through the API (scope and hidden fields
applied), so a webhook never tells its owner more than a GET would.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
import uuid

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from mieruka.core.audit import Actor, audited_create, audited_delete, audited_update
from mieruka.core.choices import ChangeAction
from mieruka.core.errors import ApplicationError
from mieruka.core.models import ObjectChange
from mieruka.core.permissions import (
    can_read_organization,
    hidden_fields,
    organization_id_of,
    reads_everything,
)

from .choices import WebhookEvent
from .models import WebhookDelivery, WebhookSubscription

SIGNATURE_HEADER = "Mieruka-Signature"
MAX_ATTEMPTS = 6
FIRST_RETRY = datetime.timedelta(seconds=30)  # then 1, 2, 4 and 8 minutes
TIMEOUT_SECONDS = 10
# Lists that are not records a person writes: the change log itself, computed pairs, tasks, webhooks.
NOT_SUBSCRIBABLE = frozenset({"change", "similar-pair", "import", "task", "webhook"})
EVENT_OF_ACTION = {ChangeAction.CREATE: WebhookEvent.CREATED, ChangeAction.UPDATE: WebhookEvent.UPDATED,
                   ChangeAction.DELETE: WebhookEvent.DELETED}


def record_types() -> dict[str, type]:
    """API record type (the list's name in URLs, e.g. `budget-line`) → its viewset, for every list whose
    records are written through the change log."""
    from .urls import router  # the router imports every app's views

    return {basename: viewset for _prefix, viewset, basename in router.registry
            if basename not in NOT_SUBSCRIBABLE and getattr(viewset, "serializer_class", None) is not None}


# --- subscriptions ------------------------------------------------------------------------------------

def _check_lists(data: dict) -> None:
    types, events = data.get("record_types"), data.get("events")
    known = record_types()
    if types is not None:
        unknown = [t for t in types if t not in known]
        if not types or unknown:
            raise ApplicationError(
                "レコードの種類を1つ以上、次から選んでください: " + ", ".join(known),
                "Choose one or more record types from: " + ", ".join(known))
    if events is not None and (not events or any(e not in WebhookEvent.values for e in events)):
        raise ApplicationError("イベントを created / updated / deleted から1つ以上選んでください",
                               "Choose one or more events from created / updated / deleted")


def _sorted_unique(values, order) -> list[str]:
    return sorted(set(values), key=list(order).index)


@transaction.atomic
def webhook_subscription_create(*, actor: Actor, data: dict, reason: str = "") -> WebhookSubscription:
    """Subscribe (for `data["user"]`, else the actor); the signing secret is made here, shown once."""
    data = dict(data)
    _check_lists(data)
    data["record_types"] = _sorted_unique(data["record_types"], record_types())
    data["events"] = _sorted_unique(data["events"], WebhookEvent.values)
    data.setdefault("user", actor.user)
    data["secret"] = "whsec_" + secrets.token_urlsafe(32)
    return audited_create(actor=actor, model=WebhookSubscription, data=data, reason=reason)


@transaction.atomic
def webhook_subscription_update(*, actor: Actor, subscription: WebhookSubscription, data: dict,
                                reason: str = "") -> WebhookSubscription:
    data = {k: v for k, v in data.items() if k not in ("secret", "user")}
    _check_lists(data)
    if "record_types" in data:
        data["record_types"] = _sorted_unique(data["record_types"], record_types())
    if "events" in data:
        data["events"] = _sorted_unique(data["events"], WebhookEvent.values)
    return audited_update(actor=actor, instance=subscription, data=data, reason=reason)


@transaction.atomic
def webhook_subscription_delete(*, actor: Actor, subscription: WebhookSubscription, reason: str = "") -> None:
    audited_delete(actor=actor, instance=subscription, reason=reason)


# --- from committed changes to deliveries -------------------------------------------------------------

def api_request(*, user, base_url: str, path: str = "/api/v1/", query: str = ""):
    """A GET request acting as `user`, for reading records as the API shows them outside a request
    (a webhook payload, a background export): the same serializers, scope and record URLs."""
    import io
    from urllib.parse import urlsplit

    from django.core.handlers.wsgi import WSGIRequest
    from rest_framework.request import Request

    parts = urlsplit(base_url or "http://localhost/")
    scheme = parts.scheme or "http"
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if scheme == "https" else 80)),
        "HTTP_HOST": parts.netloc or "localhost", "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(),
    }
    request = Request(WSGIRequest(environ))
    request.user = user
    return request


def api_view(viewset, *, request, action: str = "retrieve"):
    """An instance of `viewset` ready to read for `request` (no dispatch, no authentication)."""
    return viewset(action=action, request=request, format_kwarg=None, args=(), kwargs={},
                   headers={})


def _deleted_instance(model, change: ObjectChange):
    """An unsaved record rebuilt from a deletion's snapshot, to find whose organization it was."""
    instance = model(pk=change.changed_object_id)
    snapshot = change.prechange_data or {}
    for field in model._meta.concrete_fields:
        if field.name in snapshot and not field.primary_key:
            setattr(instance, field.attname, snapshot[field.name])
    return instance


def _in_subscription(subscription: WebhookSubscription, organization_id, subtrees: dict) -> bool:
    if subscription.organization_id is None:
        return True
    if subscription.organization_id not in subtrees:
        from mieruka.organizations.selectors import organization_subtree_ids

        subtrees[subscription.organization_id] = set(
            organization_subtree_ids(organization=subscription.organization))
    return organization_id in subtrees[subscription.organization_id]


def _payload(*, subscription, change: ObjectChange, record_type: str, viewset, subtrees: dict) -> dict | None:
    """What the subscription's owner may be told of this change; None if they may not see the record."""
    from .viewsets import reference_codes

    user = subscription.user
    event = EVENT_OF_ACTION[change.action]
    model = change.changed_object_type.model_class()
    request = api_request(user=user, base_url=subscription.base_url)
    view = api_view(viewset, request=request)
    hidden = hidden_fields(user, model)
    if event == WebhookEvent.DELETED:
        try:
            organization_id = organization_id_of(_deleted_instance(model, change))
        except ObjectDoesNotExist:  # the record it belonged to was deleted with it: known to readers of all
            organization_id = None
        if viewset.scope_field is not None and not (reads_everything(user)
                                                    or can_read_organization(user, organization_id)):
            return None
        snapshot = {k: v for k, v in (change.prechange_data or {}).items() if k not in hidden}
        record = {"id": change.changed_object_id, **snapshot}
        codes = reference_codes(model, snapshot)
    else:
        instance = view.get_queryset().filter(pk=change.changed_object_id).first()
        if instance is None:
            return None  # outside the owner's scope, or deleted since (its deletion is an event of its own)
        organization_id = organization_id_of(instance)
        record = view.get_serializer(instance).data
        codes = None
    if not _in_subscription(subscription, organization_id, subtrees):
        return None
    payload = {
        "event": event.value,
        "record_type": record_type,
        "time": change.time.isoformat(),
        "change": {"id": change.pk, "request_id": str(change.request_id), "user": change.user_name,
                   "reason": change.reason, "source": change.source},
        "record": record,
    }
    if codes is not None:
        payload["codes"] = codes
    if event == WebhookEvent.UPDATED:
        before, after = change.prechange_data or {}, change.postchange_data or {}
        payload["changed_fields"] = sorted(k for k in set(before) | set(after)
                                           if before.get(k) != after.get(k) and k not in hidden)
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def webhook_dispatch(*, change_ids: list[int]) -> list[WebhookDelivery]:
    """The first delivery of every (subscription, change) that matches; the caller queues them."""
    subscriptions = list(WebhookSubscription.objects.filter(active=True).select_related("user", "organization"))
    if not subscriptions:
        return []
    types = record_types()
    type_of_model = {}
    for name, viewset in types.items():
        type_of_model.setdefault(viewset.serializer_class.Meta.model, name)
    changes = (ObjectChange.objects.filter(pk__in=change_ids, action__in=list(EVENT_OF_ACTION))
               .exclude(changed_object_id=ObjectChange.GROUPED)
               .select_related("changed_object_type").order_by("time", "id"))
    deliveries, subtrees = [], {}
    for change in changes:
        record_type = type_of_model.get(change.changed_object_type.model_class())
        if record_type is None:
            continue
        event = EVENT_OF_ACTION[change.action]
        for subscription in subscriptions:
            if record_type not in subscription.record_types or event not in subscription.events:
                continue
            if not subscription.user.is_active:
                continue
            payload = _payload(subscription=subscription, change=change, record_type=record_type,
                               viewset=types[record_type], subtrees=subtrees)
            if payload is None:
                continue
            event_id = uuid.uuid4()
            payload = {"id": str(event_id), **payload}
            deliveries.append(WebhookDelivery.objects.create(
                subscription=subscription, event_id=event_id, event=event, record_type=record_type,
                object_id=change.changed_object_id, change=change, payload=payload))
    return deliveries


# --- sending ------------------------------------------------------------------------------------------

def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of `<timestamp>.<body>` with the subscription's secret, in hex."""
    return hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()


def payload_body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def retry_delay(attempt: int) -> datetime.timedelta:
    """The wait before attempt `attempt + 1`: 30 seconds, doubling each time."""
    return FIRST_RETRY * 2 ** (attempt - 1)


def webhook_deliver(*, delivery: WebhookDelivery) -> WebhookDelivery | None:
    """POST the event, signed; record the outcome. Returns the next attempt if this one failed and
    attempts remain (the caller queues it to run at its `scheduled_for`)."""
    subscription = delivery.subscription
    body = payload_body(delivery.payload)
    now = timezone.now()
    timestamp = int(now.timestamp())
    request = urllib.request.Request(subscription.target_url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Mieruka-Webhooks/1",
        "Mieruka-Event": delivery.event,
        "Mieruka-Delivery": str(delivery.event_id),
        "Mieruka-Attempt": str(delivery.attempt),
        SIGNATURE_HEADER: f"t={timestamp},v1={signature(secret=subscription.secret, timestamp=timestamp, body=body)}",
    })
    status_code, error = None, ""
    try:
        with _opener().open(request, timeout=TIMEOUT_SECONDS) as response:
            status_code = response.status
    except urllib.error.HTTPError as exc:
        status_code, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:1000]
    delivery.sent_at = now
    delivery.status_code = status_code
    delivery.error = error
    delivery.succeeded = status_code is not None and 200 <= status_code < 300
    delivery.save(update_fields=["sent_at", "status_code", "error", "succeeded"])
    if delivery.succeeded or delivery.attempt >= MAX_ATTEMPTS or not subscription.active:
        return None
    return WebhookDelivery.objects.create(
        subscription=subscription, event_id=delivery.event_id, event=delivery.event,
        record_type=delivery.record_type, object_id=delivery.object_id, change_id=delivery.change_id,
        payload=delivery.payload, attempt=delivery.attempt + 1, scheduled_for=now + retry_delay(delivery.attempt))


def _opener():
    # The environment's proxy settings apply (HTTPS_PROXY, NO_PROXY), as for any outgoing request.
    return urllib.request.build_opener()
