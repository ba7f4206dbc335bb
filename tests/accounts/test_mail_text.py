"""Plain-text emails read as typed: their subject and body are not HTML-escaped (an
apostrophe in a name used to arrive as "&#x27;"); pages and HTML emails stay escaped."""

import pytest
from django.core import mail
from django.template import engines

from accounts.mail import send_templated_mail
from tests.committees.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

NAME = "Comité d'Aix <pilote> & co"


def test_plain_text_subject_and_body_keep_what_was_typed():
    committee = CommitteeFactory(name=NAME)
    send_templated_mail(
        to=["secretariat@exemple.fr"],
        template="committees/email/quarterly_reminder",
        context={"committee": committee, "url": "https://portail.example.fr/comites/1/"},
    )
    [message] = mail.outbox
    assert f"{NAME} ne s'est pas réuni ce trimestre" in message.subject
    assert f"« {NAME} »" in message.body
    for escaped in ("&#x27;", "&lt;", "&amp;"):
        assert escaped not in message.subject + message.body


def test_pages_and_html_emails_are_still_escaped():
    html = engines["django"].from_string("{{ name }}").render({"name": NAME})
    assert html == "Comité d&#x27;Aix &lt;pilote&gt; &amp; co"
