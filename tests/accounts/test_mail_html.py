"""Every email has one HTML layout: the portal's name, the message escaped with its
paragraphs and links, one call-to-action button, why the recipient gets it; the plain
text says the same, unescaped."""

import pytest
from django.core import mail

from accounts.mail import Button, send_templated_mail, text_to_html_parts
from tests.committees.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

URL = "https://portail.example.fr/comites/1/"
NAME = "Comité d'Aix <script>alert(1)</script> & co"


def _send():
    committee = CommitteeFactory(name=NAME)
    send_templated_mail(
        to=["secretariat@exemple.fr"],
        template="committees/email/quarterly_reminder",
        context={"committee": committee, "url": URL},
    )
    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message, html


def test_the_layout_carries_the_portal_the_message_and_one_button():
    message, html = _send()
    assert "Portail Convention" in html
    assert "CNML · AFRC · Mission locale de Marseille · CEPL" in html
    # The main link is a button once, labelled with what the text says before it.
    assert html.count(f'<a href="{URL}"') == 1
    assert "Vous recevez ce message parce que" in html
    # Escaped in the HTML, as typed in the text part.
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert NAME in message.body and URL in message.body


def test_the_call_to_action_takes_the_words_before_the_link():
    body = "Bonjour Léa,\n\nUne offre vous attend.\n\nVoir l'offre : https://x.fr/o/1/\n"
    paragraphs, button = text_to_html_parts(body, "https://x.fr/o/1/")
    assert button == Button(label="Voir l'offre", url="https://x.fr/o/1/")
    assert paragraphs == ["Bonjour Léa,", "Une offre vous attend."]
    # Without a line carrying it, the link still gets its button, with a plain label.
    _paragraphs, button = text_to_html_parts("Bonjour.", "https://x.fr/")
    assert button == Button(label="Ouvrir dans le portail", url="https://x.fr/")
    assert text_to_html_parts("Bonjour.", None) == (["Bonjour."], None)


def test_the_digest_fills_the_same_layout():
    from django.template.loader import get_template

    source = get_template("reporting/email/monthly_digest.html").template.source
    assert source.startswith('{% extends "email/layout.html" %}')
