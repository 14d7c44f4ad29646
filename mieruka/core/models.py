from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import ChangeAction, ChangeSource, Role


class TimestampedModel(models.Model):
    """Base for portfolio records: creation and last-update times, kept by the database layer."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        abstract = True


class ObjectChange(models.Model):
    """One change to one portfolio record: who, when, in which batch, what before and after, and why.

    Rows are written by `mieruka.core.audit` inside the same transaction as the change itself, so a
    change that rolls back leaves no audit row and an audit row always describes a committed change.

    A *grouped* change covers many records of one model filed under one parent record — the budget lines an
    import creates or updates for one system. Its `changed_object_id` is `GROUPED`, its related object is the
    parent, and `prechange_data`/`postchange_data` list the records' snapshots in columns
    (`{"fields": [...], "records": [[pk, value, ...], ...]}`). A million imported budget lines are then 50,000
    rows of trail instead of a million, and a person reads "20 budget lines of S00003" as one change.
    `records()` gives (pk, before, after) for both kinds.
    """

    GROUPED = 0  # never a primary key

    time = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Kept apart from `user` so the trail still names the actor after the account is deleted,
    # and so command-line actors without an account are named too.
    user_name = models.CharField(_("actor"), max_length=150)
    request_id = models.UUIDField(_("batch / request ID"), db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=ChangeSource.choices)
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    # The two content-type foreign keys get no index of their own: the composite indexes in Meta start
    # with them, and every index costs a write per audit row (a million of them in a large import).
    changed_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                            db_index=False)
    changed_object_id = models.PositiveBigIntegerField()
    changed_object = GenericForeignKey("changed_object_type", "changed_object_id")
    related_object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True, db_index=False
    )
    related_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    related_object = GenericForeignKey("related_object_type", "related_object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    prechange_data = models.JSONField(_("before"), null=True, blank=True)
    postchange_data = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["changed_object_type", "changed_object_id", "time"]),
            models.Index(fields=["related_object_type", "related_object_id", "time"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr} ({self.user_name}, {self.time:%Y-%m-%d %H:%M})"

    @property
    def is_grouped(self) -> bool:
        return self.changed_object_id == self.GROUPED

    def records(self) -> list[tuple[int, dict | None, dict | None]]:
        """(pk, before, after) of every record the change covers: one, or each record of a grouped change."""
        if not self.is_grouped:
            return [(self.changed_object_id, self.prechange_data, self.postchange_data)]
        before, after = grouped_snapshots(self.prechange_data), grouped_snapshots(self.postchange_data)
        return [(pk, before.get(pk), after.get(pk)) for pk in [*after, *(pk for pk in before if pk not in after)]]

    @property
    def history_target(self) -> tuple[str, int]:
        """("app_label.model", pk) of the record whose History page shows this change: a grouped change's parent."""
        ct, pk = self.changed_object_type, self.changed_object_id
        if self.is_grouped and self.related_object_type_id is not None:
            ct, pk = self.related_object_type, self.related_object_id
        return f"{ct.app_label}.{ct.model}", pk

    def diff(self) -> list[tuple[str, object, object]]:
        """Fields whose value differs between before and after, in field order."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = list(after.keys()) + [k for k in before.keys() if k not in after]
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def grouped_snapshots(data: dict | None) -> dict[int, dict]:
    """The snapshots of a grouped change's side, keyed by primary key."""
    if not data:
        return {}
    fields = data["fields"]
    return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in data["records"]}


class UserRole(models.Model):
    """A person's role and, for ministry roles, the organization whose subtree they work in.

    Users without a row are treated as ministry viewers of nothing, i.e. they see no portfolio data;
    superusers are administrators regardless.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="mieruka_role"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("organization"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    clearance = models.BooleanField(
        _("clearance for restricted fields"), default=False,
        help_text=_("Security-related facts and internal notes are shown only with clearance."),
    )
    # The designation 要求制止担当: decides on requests flagged as excessive (withdraw, trim or uphold).
    # A Digital Agency designation, so only administrators and analysts may carry it.
    request_arbiter = models.BooleanField(
        _("excessive-request officer (要求制止担当)"), default=False,
        help_text=_("Decides on reports and explanations flagged as excessive: withdraw, trim or uphold."),
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["editor", "viewer"]) | models.Q(organization__isnull=False),
                name="ministry_role_has_organization",
            ),
            models.CheckConstraint(
                condition=models.Q(request_arbiter=False) | models.Q(role__in=["admin", "analyst"]),
                name="request_arbiter_is_digital_agency",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class Notification(models.Model):
    """An in-app notice to one person: a report due, a finding assigned, a review waiting, …"""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient}: {self.message}"


class SavedView(models.Model):
    """One person's named view of a list: its filters, columns and sort, kept as the list's query string.

    A personal preference, not portfolio data: only its owner sees and changes it, and it is not audited.
    The query string is the whole view, so the same URL shared with a colleague shows them the same list
    (within what they may see).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("saved view", "owner"), on_delete=models.CASCADE,
        related_name="saved_views",
    )
    list_name = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query string"), max_length=2000, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["owner", "list_name", "name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["owner", "list_name", "name"], name="saved_view_unique_name"),
        ]

    def __str__(self):
        return f"{self.owner}: {self.name}"
