"""The audit trail: every write to portfolio data goes through here.

Services name the acting `Actor` explicitly (there is no hidden "current user"), so the same code path
records a page edit, an admin edit, a command-line run or an import. A batch is every change made with the
same `Actor` instance: one web request, one CLI invocation, one import.
"""

from __future__ import annotations

import datetime
import functools
import getpass
import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .bulk import instances_create
from .choices import ChangeAction, ChangeSource
from .models import ObjectChange


@dataclass(frozen=True)
class Actor:
    """Who is making a change, from where, and in which batch."""

    user: object | None
    name: str
    source: str
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def from_request(cls, request, *, source: str = ChangeSource.WEB) -> Actor:
        user = request.user if request.user.is_authenticated else None
        name = user.get_username() if user else "anonymous"
        request_id = getattr(request, "request_id", None) or uuid.uuid4()
        return cls(user=user, name=name, source=source, request_id=request_id)

    @classmethod
    def for_command(cls, *, username: str | None = None, source: str = ChangeSource.CLI) -> Actor:
        """The actor of a command-line run: a named account if given, else the operating-system login."""
        from django.contrib.auth import get_user_model

        from .errors import ApplicationError

        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise ApplicationError(
                    f"ユーザー「{username}」は存在しません",
                    f"User {username!r} does not exist",
                )
            return cls(user=user, name=username, source=source)
        try:
            login = getpass.getuser()
        except Exception:  # noqa: BLE001 - containers may have no passwd entry
            login = "unknown"
        return cls(user=None, name=f"{source}:{login}", source=source)


# Values a snapshot stores as they are; checked by exact type first, since nearly every value is one.
_PLAIN_TYPES = frozenset({str, int, bool, float, type(None), list, dict})


def _json_value(value):
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


# Timestamps that change on every save or sign-in: left out so a diff shows only what a person changed.
_UNRECORDED_FIELDS = ("created", "last_updated", "last_login")
# Secrets never go into the trail; a short fingerprint of the stored value shows that it changed.
_SECRET_FIELDS = ("password", "secret")

# Called with the IDs of the change-log rows a transaction wrote, once it has committed. A higher app
# (the API's webhooks) registers here, so core never imports it and rolled-back changes announce nothing.
_LISTENERS: list[Callable[[list[int]], None]] = []


def audit_listen(listener: Callable[[list[int]], None]) -> None:
    """Call `listener(change_ids)` after each commit that recorded changes through this module."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def _announce(rows: list[ObjectChange]) -> None:
    ids = [row.pk for row in rows if row.pk is not None]
    if not _LISTENERS or not ids:
        return

    def notify():
        for listener in list(_LISTENERS):
            listener(ids)

    transaction.on_commit(notify)


def _fingerprint(value) -> str:
    return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:12] if value else ""


@functools.cache
def _recorded_fields(model: type[models.Model]) -> tuple[tuple[str, str, bool], ...]:
    """(name, attribute, secret) of the fields a snapshot records, in the model's order; the same for every
    record of a model, and worked out once (the demo snapshots tens of thousands)."""
    return tuple((f.name, f.attname, f.name in _SECRET_FIELDS) for f in model._meta.concrete_fields
                 if not f.primary_key and f.name not in _UNRECORDED_FIELDS)


def serialize_object(instance: models.Model) -> dict:
    """A JSON-ready snapshot of a record's own fields and many-to-many links.

    Foreign keys are stored as primary keys, many-to-many as sorted primary keys.
    """
    data = {}
    opts = instance._meta
    for name, attname, secret in _recorded_fields(type(instance)):
        value = getattr(instance, attname)  # what `Field.value_from_object` reads
        data[name] = _fingerprint(value) if secret else _json_value(value)
    if instance.pk is not None:
        for f in opts.many_to_many:
            prefetched = getattr(instance, "_prefetched_objects_cache", {}).get(f.name)
            if prefetched is not None:
                data[f.name] = sorted(o.pk for o in prefetched)
            else:
                data[f.name] = sorted(getattr(instance, f.name).values_list("pk", flat=True))
    return data


def _related_of(instance):
    getter = getattr(instance, "audit_related_object", None)
    return getter() if getter else None


def _change_row(*, actor: Actor, action: str, instance, before, after, reason: str, now) -> ObjectChange:
    related = _related_of(instance)
    return ObjectChange(
        time=now,
        user=actor.user,
        user_name=actor.name[:150],
        request_id=actor.request_id,
        source=actor.source,
        action=action,
        changed_object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        changed_object_id=instance.pk,
        related_object_type=(
            ContentType.objects.get_for_model(related, for_concrete_model=True) if related is not None else None
        ),
        related_object_id=related.pk if related is not None else None,
        object_repr=str(instance)[:200],
        prechange_data=before,
        postchange_data=after,
        reason=reason,
    )


def audit_record(
    *, actor: Actor, action: str, instance: models.Model, before: dict | None, after: dict | None,
    reason: str = "", time: datetime.datetime | None = None,
) -> ObjectChange | None:
    """Record one change; an update that changed nothing is not recorded."""
    if action == ChangeAction.UPDATE and before == after:
        return None
    row = _change_row(
        actor=actor, action=action, instance=instance, before=before, after=after, reason=reason,
        now=time or timezone.now(),
    )
    row.save()
    _announce([row])
    return row


def audit_record_many(
    *, actor: Actor, action: str, instances: Iterable[models.Model], reason: str = "",
    befores: dict | None = None, time: datetime.datetime | None = None, batch_size: int = 2000,
) -> int:
    """Record many creates or deletes at once (bulk loads, imports); returns the number of rows written."""
    now = time or timezone.now()
    rows = []
    for instance in instances:
        snapshot = serialize_object(instance)
        if action == ChangeAction.CREATE:
            before, after = None, snapshot
        elif action == ChangeAction.DELETE:
            before, after = snapshot, None
        else:
            before, after = (befores or {}).get(instance.pk), snapshot
            if before == after:
                continue
        rows.append(
            _change_row(actor=actor, action=action, instance=instance, before=before, after=after,
                        reason=reason, now=now)
        )
    # Plain rows with reserved keys: the rows are built here from saved records, so `bulk_create`'s
    # per-value preparation would only repeat what the fields already hold.
    instances_create(rows, batch_size=batch_size)
    _announce(rows)
    return len(rows)


TRAIL_COLUMNS = ["time", "user", "user_name", "request_id", "source", "action", "changed_object_type",
                 "changed_object_id", "related_object_type", "related_object_id", "object_repr", "prechange_data",
                 "postchange_data", "reason"]


def audit_trail_insert(
    *, actor: Actor, instances: Iterable[models.Model], time_of: Callable[[models.Model], datetime.datetime],
    reason: str = "",
) -> int:
    """The creation rows `audit_record_many` would write for saved `instances`, as plain inserts, each
    dated by `time_of(instance)`; returns the number written.

    For generated data (the demo's tens of thousands of records): no ORM row per change, and nothing is
    announced to listeners, since nobody subscribes to a generator's batch. Linked records the snapshot and
    the name read (the system of a finding, say) should already be on the instances.
    """
    from .bulk import rows_insert

    user_pk = actor.user.pk if actor.user is not None else None
    types: dict[type, int] = {}

    def type_of(obj) -> int:
        model = type(obj)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(obj, for_concrete_model=True).pk
        return types[model]

    rows = []
    for instance in instances:
        related = _related_of(instance)
        rows.append((time_of(instance), user_pk, actor.name[:150], actor.request_id, actor.source,
                     ChangeAction.CREATE, type_of(instance), instance.pk,
                     type_of(related) if related is not None else None, related.pk if related is not None else None,
                     str(instance)[:200], None, serialize_object(instance), reason))
    rows_insert(ObjectChange, TRAIL_COLUMNS, rows)
    return len(rows)



def audit_snapshots_insert(
    *, actor: Actor, model: type[models.Model], entries: Iterable[tuple], related_model: type[models.Model] | None = None,
    reason: str = "",
) -> int:
    """Creation rows for records written as plain rows, from snapshots the caller made; returns the number written.

    Each entry is `(time, pk, object_repr, snapshot, related_pk)`, `related_pk` a key of `related_model` or
    None. The snapshot must be what `serialize_object` would give for the saved record (dates as ISO text,
    foreign keys as keys, many-to-many as sorted keys), so the trail reads the same whichever way a record
    was written. For the demo's largest tables, which never become model instances.
    """
    from .bulk import rows_insert

    user_pk = actor.user.pk if actor.user is not None else None
    name, changed = actor.name[:150], ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    related = ContentType.objects.get_for_model(related_model, for_concrete_model=True).pk if related_model else None
    rows = [(time, user_pk, name, actor.request_id, actor.source, ChangeAction.CREATE, changed, pk,
             related if related_pk is not None else None, related_pk, object_repr[:200], None, snapshot, reason)
            for time, pk, object_repr, snapshot, related_pk in entries]
    rows_insert(ObjectChange, TRAIL_COLUMNS, rows)
    return len(rows)

def _apply(instance: models.Model, data: dict) -> dict:
    """Set plain fields from `data`; return the many-to-many values to set after saving."""
    m2m = {}
    m2m_names = {f.name for f in instance._meta.many_to_many}
    for key, value in data.items():
        if key in m2m_names:
            m2m[key] = value
        else:
            setattr(instance, key, value)
    return m2m


@transaction.atomic
def audited_create(*, actor: Actor, model: type[models.Model], data: dict, reason: str = "") -> models.Model:
    """Validate, save and audit a new record; `data` may include many-to-many values."""
    instance = model()
    m2m = _apply(instance, data)
    instance.full_clean()
    instance.save()
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    audit_record(actor=actor, action=ChangeAction.CREATE, instance=instance, before=None,
                 after=serialize_object(instance), reason=reason)
    return instance


@transaction.atomic
def audited_update(*, actor: Actor, instance: models.Model, data: dict, reason: str = "") -> models.Model:
    """Validate, save and audit changes to an existing record."""
    before = serialize_object(type(instance)._default_manager.get(pk=instance.pk))
    m2m = _apply(instance, data)
    instance.full_clean()
    proposed = {**serialize_object(instance),
                **{name: sorted(getattr(v, "pk", v) for v in value) for name, value in m2m.items()}}
    if proposed == before:
        # Nothing changes: leave the row (and its last-updated time, hence its ETag) alone.
        return instance
    instance.save()
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    if hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    audit_record(actor=actor, action=ChangeAction.UPDATE, instance=instance, before=before,
                 after=serialize_object(instance), reason=reason)
    return instance


@transaction.atomic
def audited_delete(*, actor: Actor, instance: models.Model, reason: str = "") -> None:
    """Audit and delete a record (the row is written first, while the record can still be described)."""
    from django.db.models import ProtectedError

    from .errors import ApplicationError

    audit_record(actor=actor, action=ChangeAction.DELETE, instance=instance,
                 before=serialize_object(instance), after=None, reason=reason)
    try:
        instance.delete()
    except ProtectedError as exc:
        names = ", ".join(sorted(str(o) for o in list(exc.protected_objects)[:5]))
        raise ApplicationError(
            f"「{instance}」は他のレコードから参照されているため削除できません（{names}）",
            f"{instance} cannot be deleted while other records refer to it ({names})",
        ) from exc


@transaction.atomic
def audited_delete_cascade(*, actor: Actor, instance: models.Model, reason: str = "") -> int:
    """Delete a record and everything the database cascade removes with it, auditing each record.

    For writes that have no service of their own (the admin): without it, deleting a system would
    remove its budget lines with one audit row for the system alone. Returns the number of records.
    """
    from django.db import router
    from django.db.models.deletion import Collector

    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    collector.collect([instance])
    cascaded = [obj for objs in collector.data.values() for obj in objs if obj != instance]
    for qs in collector.fast_deletes:
        cascaded += list(qs)
    # Many-to-many link rows are not records of their own; the snapshot of the deleted record lists them.
    cascaded = [obj for obj in cascaded if not obj._meta.auto_created]
    audit_record_many(actor=actor, action=ChangeAction.DELETE, instances=cascaded, reason=reason)
    audit_record(actor=actor, action=ChangeAction.DELETE, instance=instance, before=serialize_object(instance),
                 after=None, reason=reason)
    instance.delete()
    return 1 + len(cascaded)
