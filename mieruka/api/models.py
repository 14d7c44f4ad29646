from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
