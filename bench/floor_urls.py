"""The floor page: what every signed-in page pays before doing its own work.

Served by the benchmark's gunicorn next to the product's pages (the product's URLs are
included unchanged), it goes through the whole middleware stack (session and user
look-ups, the second-factor gate), reads the user's scope (one small query, the one
every page of the portal reads) and returns minimal HTML with no template. A page's
p95 divided by this one's, measured by the same server in the same run, says what
the page costs on top of being a signed-in request, whatever the machine's load.
"""

from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from accounts.scope import get_scope
from convention_portal.urls import urlpatterns as product_urlpatterns


def floor(request):
    scope = get_scope(request.user)
    names = ", ".join(escape(m.organisation_name) for m in scope.memberships)
    return HttpResponse(f"<!doctype html><title>floor</title><p>{names}</p>")


urlpatterns = [path("__bench__/floor/", floor, name="bench_floor"), *product_urlpatterns]
