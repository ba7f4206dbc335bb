"""The same new-youth form sent several times at the same instant registers one youth.

The attack: 2 posts at once gave 2 youths, 5 gave 5. Now registrations of a mission
locale wait for each other (an advisory lock) and the service checks duplicates and the
form's one-time token inside it; the other posts get the duplicate warning.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Organisation
from candidates.models import Youth
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent registrations need PostgreSQL (SQLite runs one writer at a time)",
)


def _form(advisor, **extra):
    return {
        "mission_locale": advisor.memberships.get().organisation_id,
        "first_name": "Inès",
        "last_name": "Roussel",
        "birth_date": "14/03/2006",
        "advisor": advisor.pk,
        "submission_token": "jeton-du-formulaire-affiche-une-fois",
        **extra,
    }


def _post_at_once(advisor, data: dict, times: int) -> list:
    """`times` clients, each signed in as `advisor`, post `data` together."""
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(advisor)
        clients.append(client)
    barrier = threading.Barrier(times)
    responses: list = [None] * times

    def post(index):
        try:
            barrier.wait(10)
            responses[index] = clients[index].post(reverse("candidates:youth_create"), data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


@postgres_only
@pytest.mark.parametrize("times", [2, 5])
def test_the_same_form_posted_at_once_registers_one_youth(times):
    advisor = make_member(Role.ADVISOR)
    responses = _post_at_once(advisor, _form(advisor), times)
    assert Youth.objects.count() == 1
    youth = Youth.objects.get()
    created = [r for r in responses if r.status_code == 302]
    warned = [r for r in responses if r.status_code == 200]
    assert len(created) == 1 and len(warned) == times - 1
    for response in warned:
        body = response.content.decode()
        assert "Ce formulaire a déjà été envoyé" in body
        assert "Doublon possible" in body
        # The warning links the youth just registered, and keeps what was typed.
        assert reverse("candidates:youth_detail", args=[youth.pk]) in body
        assert 'value="Roussel"' in body


@postgres_only
def test_a_confirmed_homonym_form_sent_twice_still_registers_once():
    """Ticking "another person" lets a homonym in, once: the form's token is spent."""
    advisor = make_member(Role.ADVISOR)
    first = Client()
    first.force_login(advisor)
    first.post(reverse("candidates:youth_create"), _form(advisor, submission_token="premier"))
    assert Youth.objects.count() == 1
    responses = _post_at_once(
        advisor, _form(advisor, submission_token="second", confirm_not_duplicate="on"), 3
    )
    assert Youth.objects.count() == 2
    assert sorted(r.status_code for r in responses) == [200, 200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "Ce formulaire a déjà été envoyé" in refused


def test_the_service_refuses_a_duplicate_the_form_did_not_see(client):
    """Whatever the form checked before, the service checks again when it saves."""
    from candidates import services

    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    fields = {
        "first_name": "Inès",
        "last_name": "Roussel",
        "birth_date": datetime.date(2006, 3, 14),
        "advisor": advisor,
    }
    services.register_youth(actor=advisor, mission_locale=ml, **fields)
    with pytest.raises(ValidationError) as refused:
        services.register_youth(actor=advisor, mission_locale=ml, **fields)
    assert refused.value.code == services.DUPLICATE
    assert Youth.objects.count() == 1
    services.register_youth(
        actor=advisor, mission_locale=ml, confirmed_not_duplicate=True, **fields
    )
    assert Youth.objects.count() == 2


def test_a_form_whose_youth_lands_between_its_two_look_ups_still_links_it():
    """The race the concurrent test can hit: the other post commits its youth after this
    form looked for homonyms and before it looked for its token. The refusal still names
    and links that youth."""
    from candidates import services
    from candidates.forms import YouthForm

    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    data = _form(advisor)

    class RacedForm(YouthForm):
        raced = False

        def find_duplicates(self, mission_locale):
            super().find_duplicates(mission_locale)
            if not self.raced:
                self.raced = True
                services.register_youth(
                    actor=advisor,
                    mission_locale=ml,
                    submission_token=data["submission_token"],
                    first_name="Inès",
                    last_name="Roussel",
                    birth_date=datetime.date(2006, 3, 14),
                    advisor=advisor,
                )

    form = RacedForm(data, mission_locales=Organisation.objects.filter(pk=ml.pk))
    assert not form.is_valid()
    assert form.raced
    assert str(services.ALREADY_SENT) in form.non_field_errors()
    assert [other.pk for other in form.duplicates] == [Youth.objects.get().pk]
