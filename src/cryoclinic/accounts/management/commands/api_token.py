from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cryoclinic.accounts import tokens
from cryoclinic.accounts.models import ApiToken
from cryoclinic.clinics import state
from cryoclinic.clinics.models import Clinic
from cryoclinic.clinics.services import clinics_of


class Command(BaseCommand):
    help = (
        "Create, list or revoke API tokens. A token acts in one clinic, as its user's role there. A new token is "
        "printed once and never stored."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token for a user")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--clinic", help="the clinic's slug (needed where the user works in several)")
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
            clinic = self._clinic_of(user, options["clinic"])
            with state.activate(clinic):
                token, raw = tokens.issue(user, name)
            self.stderr.write(f"Token #{token.pk} {name!r} for {user} at {clinic.slug}. Shown only this once:")
            self.stdout.write(raw)
        elif action == "list":
            for clinic in state.each_clinic():
                rows = ApiToken.objects.select_related("user")
                if options["username"]:
                    rows = rows.filter(user__username=options["username"])
                for token in rows:
                    status = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
                    self.stdout.write(
                        f"#{token.pk}\t{clinic.slug}\t{token.user}\t{token.name}\t{token.prefix}…\t{status}"
                    )
        else:
            for _clinic in state.each_clinic():
                found = ApiToken.objects.filter(pk=options["token_id"]).first()
                if found is not None:
                    tokens.revoke(found)
                    self.stdout.write(f"Token #{found.pk} {found.name!r} revoked.")
                    return
            raise CommandError(f"No token #{options['token_id']}.")

    def _clinic_of(self, user, slug: str | None) -> Clinic:  # type: ignore[no-untyped-def]
        """The clinic the token acts in: the one named, which must be the user's, or the user's only one."""
        member_of = clinics_of(user)
        if slug is not None:
            for clinic in member_of:
                if clinic.slug == slug:
                    return clinic
            raise CommandError(f"{user} is no member of a clinic {slug!r}; theirs: "
                               f"{', '.join(c.slug for c in member_of) or 'none'}.")
        if len(member_of) != 1:
            raise CommandError(f"{user} works in {len(member_of)} clinics: name one with --clinic "
                               f"({', '.join(c.slug for c in member_of) or 'none'}).")
        return member_of[0]
