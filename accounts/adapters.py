from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts come from invitations (see accounts.services)."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_login(self, request, user, **kwargs):
        """A young person signs in by the one-time link of their space only, never by
        the staff sign-in: a password they set through "forgotten password" opens
        nothing (their space's rules live on the link: 15 minutes, once, refused when
        the file is closed or anonymised)."""
        from youthspace.identity import is_youth_user

        if is_youth_user(user):
            messages.info(
                request,
                _("Votre espace s'ouvre avec un lien reçu par e-mail : demandez-le ici."),
            )
            return redirect("youthspace:request_link")
        return super().pre_login(request, user, **kwargs)
