from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cryoclinic.accounts import tokens
from cryoclinic.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create, list or revoke API tokens. A new token is printed once and never stored."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token for a user")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        listing = sub.add_parser("list", help="tokens and their state (never the token itself)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action: str, **options):
        if action == "create":
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None or not user.is_active:
                raise CommandError(f"No active user {options['username']!r}.")
            name = options["name"].strip()
            if not name:
                raise CommandError("--name must not be empty.")
            token, raw = tokens.issue(user, name)
            self.stderr.write(f"Token #{token.pk} {name!r} for {user}. Shown only this once:")
            self.stdout.write(raw)
        elif action == "list":
            rows = ApiToken.objects.select_related("user")
            if options["username"]:
                rows = rows.filter(user__username=options["username"])
            for token in rows:
                state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                self.stdout.write(f"#{token.pk}\t{token.user}\t{token.name}\t{token.prefix}…\t{state}")
        else:
            found = ApiToken.objects.filter(pk=options["token_id"]).first()
            if found is None:
                raise CommandError(f"No token #{options['token_id']}.")
            tokens.revoke(found)
            self.stdout.write(f"Token #{found.pk} {found.name!r} revoked.")
