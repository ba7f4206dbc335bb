"""The youth-space panel on the youth's page (`youthspace.youth_page.Panel.html`): the
markup of its template with the panel and the request's CSRF token, whichever state; a youth without space, answers or consent changes (most) drawn
once per language and what the user may do, with the youth's links in its holes."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from candidates.enums import YouthStatus
from tests.accounts.factories import UserFactory
from tests.candidates.factories import YouthFactory
from youthspace.youth_page import panels

from .factories import full_space, open_space

pytestmark = pytest.mark.django_db

INCLUDED = Template(
    "{% for panel in panels %}"
    "{% include panel.template with panel=panel.context csrf_token=csrf_token only %}"
    "{% endfor %}"
)
TOKEN = "t0k3nOfTheRequest"


@override_settings(DEBUG=False)  # kept once drawn, as in production
def test_the_panel_is_the_included_template_in_every_state():
    plain = YouthFactory()
    youths = [
        plain,
        YouthFactory(mission_locale=plain.mission_locale),  # same state, other links
        YouthFactory(email=""),  # cannot be invited
        YouthFactory(status=YouthStatus.ANONYMISED, email=""),
        open_space().youth,
        full_space()[0].youth,
    ]
    outsider = UserFactory()  # may neither invite nor write: no link
    for language in ("fr", "en"):
        with translation.override(language):
            for youth in youths * 2:  # drawn, then kept
                for user in (youth.advisor, outsider):
                    shown = panels(youth, user)
                    html = "".join(panel.html(TOKEN) for panel in shown)
                    expected = INCLUDED.render(Context({"panels": shown, "csrf_token": TOKEN}))
                    assert html == expected, (youth, user)
    with translation.override("fr"):
        first, second = ("".join(p.html(TOKEN) for p in panels(y, y.advisor)) for y in youths[:2])
    assert f"/jeunes/{youths[0].pk}/" in first and f"/jeunes/{youths[1].pk}/" in second


def test_the_invitation_carries_the_requests_csrf_token():
    """The invitation is a form: drawn without the request's token (as an `{% include
    ... only %}` drew it), the advisor's click was refused by the CSRF check."""
    from django.test import Client

    youth = YouthFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(youth.advisor)
    page = client.get(f"/jeunes/{youth.pk}/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    html = page.content.decode()
    invite = html[html.index('action="/espace/') :]
    invite = invite[: invite.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in invite
    posted = invite.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token is not None and posted
    action = html[html.index('action="/espace/') + len('action="') :].split('"')[0]
    response = client.post(action, {"csrfmiddlewaretoken": posted})
    assert response.status_code in (200, 302), response.status_code
