from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import WebhookEvent


class ApiToken(models.Model):
    """A personal API key: it acts as its owner, expires, and can be revoked.

    Only a SHA-256 of the key is stored, so a leaked database does not leak working keys; the key itself
    is shown once, when it is created. Keys are long random strings, so a fast hash is enough.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    # The first characters of the key, so its owner can tell which key a row describes.
    prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created")), name="api_token_expires_after_created"
            ),
            models.CheckConstraint(condition=~Q(key_hash=""), name="api_token_hash_not_blank"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…, {self.user})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired


class WebhookSubscription(models.Model):
    """An address Mieruka tells when records of some types are created, changed or deleted.

    A subscription acts as its owner: it is sent only the records its owner may read, without the fields
    its owner may not see. Each delivery is signed with `secret` (HMAC-SHA256), so the receiver can tell
    it came from here; the secret is shown once, when the subscription is created.
    """

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("subscription owner"), on_delete=models.CASCADE,
                             related_name="webhook_subscriptions")
    target_url = models.URLField(_("receiver URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    record_types = models.JSONField(_("record types"), default=list,
                                    help_text=_("API record types, e.g. system, project, budget-line."))
    events = models.JSONField(_("events"), default=list, help_text=_("created, updated and/or deleted."))
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("organization"), null=True,
                                     blank=True, on_delete=models.CASCADE, related_name="+",
                                     help_text=_("Only records of this organization and those below it."))
    # Where the record URLs in a payload point: the API's address as the subscription's creator used it.
    base_url = models.CharField(_("API base URL"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_updated = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [models.CheckConstraint(condition=~Q(secret=""), name="webhook_secret_not_blank")]

    def __str__(self):
        return f"{self.name} → {self.target_url}"


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to a subscription: the delivery log.

    Attempts of the same event share `event_id`; a failed attempt schedules the next one after an
    exponentially growing wait (`scheduled_for`), up to a fixed number of attempts.
    """

    subscription = models.ForeignKey(WebhookSubscription, verbose_name=_("subscription"),
                                     on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(_("event ID"), db_index=True)
    event = models.CharField(_("event"), max_length=10, choices=WebhookEvent.choices)
    record_type = models.CharField(_("record type"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("record ID"))
    change = models.ForeignKey("core.ObjectChange", verbose_name=_("change"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    payload = models.JSONField(_("payload"))
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    scheduled_for = models.DateTimeField(_("scheduled for"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["subscription", "scheduled_for"])]

    def __str__(self):
        return f"{self.event} {self.record_type} #{self.object_id} → {self.subscription_id} (#{self.attempt})"
