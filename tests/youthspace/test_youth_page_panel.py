"""The youth-space panel on the youth's page (`youthspace.youth_page.Panel.html`): the
markup the youth page's `{% include panel.template with panel=panel.context only %}`
drew, whichever state; a youth without space, answers or consent changes (most) drawn
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
    "{% for panel in panels %}{% include panel.template with panel=panel.context only %}"
    "{% endfor %}"
)


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
                    html = "".join(panel.html() for panel in shown)
                    assert html == INCLUDED.render(Context({"panels": shown})), (youth, user)
    with translation.override("fr"):
        first, second = ("".join(p.html() for p in panels(y, y.advisor)) for y in youths[:2])
    assert f"/jeunes/{youths[0].pk}/" in first and f"/jeunes/{youths[1].pk}/" in second
