from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from accounts.views import accounts as accounts_views

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("health/", accounts_views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Signing in (allauth: sign-in, password, email confirmation, second factor) and the
    # user's account pages are two prefixes that do not look alike.
    path("connexion/", include("allauth.urls")),
    path("compte/", include("accounts.urls")),
    # Links to the former prefix, in emails sent before it moved (a password reset, an
    # email confirmation), still lead to their page.
    path(
        "comptes/<path:rest>",
        login_not_required(
            RedirectView.as_view(url="/connexion/%(rest)s", query_string=True, permanent=True)
        ),
        name="signin_moved",
    ),
    path("mentions-information/", include("accounts.urls_notices")),
    path("", include("accounts.urls_legal")),
    path("jeunes/", include("candidates.urls")),
    path("offres/", include("offers.urls")),
    path("sessions/", include("immersion.urls")),
    path("comites/", include("committees.urls")),
    path("indicateurs/", include("reporting.urls")),
    path("piste-d-audit/", include("audit.urls")),
    path("espace/", include("youthspace.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
