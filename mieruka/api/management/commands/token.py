"""`mieruka token create|revoke|list`: personal API tokens from the command line."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mieruka.api.models import ApiToken
from mieruka.api.selectors import token_list
from mieruka.api.services import token_create, token_revoke
from mieruka.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create, revoke or list API tokens. `create` prints the key once; only its hash is stored."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print its key (once).")
        create.add_argument("--user", required=True, help="User name the token acts as.")
        create.add_argument("--days", type=int, default=90, help="Days until it expires (default 90).")
        create.add_argument("--name", default="command line", help="What the token is for.")
        revoke = sub.add_parser("revoke", help="Revoke a token by its ID (see `list`).")
        revoke.add_argument("id", type=int)
        listing = sub.add_parser("list", help="List tokens (never their keys).")
        listing.add_argument("--user", help="Only this user's tokens.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」は存在しません / User {username!r} does not exist")
        return user

    def handle_create(self, *, user, days, name, **_):
        token, key = token_create(user=self._user(user), name=name, days=days)
        self.stderr.write(
            f"Token {token.pk} for {user}, expires {token.expires_at:%Y-%m-%d %H:%M %Z}. "
            "The key is shown only now:"
        )
        self.stdout.write(key)

    def handle_revoke(self, *, id, **_):
        token = ApiToken.objects.filter(pk=id).select_related("user").first()
        if token is None:
            raise CommandError(f"トークン {id} は存在しません / Token {id} does not exist")
        token = token_revoke(token=token)
        self.stdout.write(
            f"Revoked token {token.pk} ({token.name}, {token.user}) at {token.revoked_at:%Y-%m-%d %H:%M}"
        )

    def handle_list(self, *, user=None, **_):
        rows = token_list(user=self._user(user) if user else None)
        count = 0
        for t in rows:
            count += 1
            state = "revoked" if t.is_revoked else "expired" if t.is_expired else "active"
            last = f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "never"
            self.stdout.write(
                f"{t.pk}\t{t.user}\t{t.name}\t{t.prefix}…\t{state}\t"
                f"expires {t.expires_at:%Y-%m-%d}\tlast used {last}"
            )
        self.stderr.write(f"{count} token(s)")
