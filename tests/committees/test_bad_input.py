"""Bad input through the pages: refused or neutralised with a French message next to the
field, what was typed kept, nothing half-saved."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from committees.models import ActionItem, Decision, Document
from tests.accounts.factories import OrganisationFactory

from .factories import CommitmentFactory, ConventionFactory, MeetingFactory
from .files import DOCX, EXE, PDF, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world, client):
    client.force_login(world.lead)
    return MeetingFactory(committee=world.committee, past=True)


def _files(root) -> list[str]:
    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("compte-rendu.pdf", EXE, "son extension ne correspond pas à son contenu"),
        ("tableau.xlsx", DOCX, "son extension ne correspond pas à son contenu"),
        ("programme.exe", PDF, "Seuls les fichiers PDF, DOCX, ODT et XLSX sont acceptés."),
        ("enorme.pdf", PDF + b"0" * (10 * 1024 * 1024 + 1), "Le fichier dépasse 10 Mo"),
    ],
)
def test_bad_documents_are_refused_next_to_the_field(
    client, meeting, private_media, name, content, message
):
    response = client.post(
        reverse("committees:document_upload", args=[meeting.pk]), {"file": upload(name, content)}
    )
    assert response.status_code == 400
    errors = response.context["document_form"].errors["file"]
    assert any(message in error for error in errors)
    assert message.split(" :")[0] in response.content.decode().replace("&#x27;", "'")
    assert not Document.objects.exists()
    assert _files(private_media) == []


def test_bad_evidence_document_is_refused_next_to_the_field(client, world, private_media):
    # The content is checked once, by the service; the commitment page shows its
    # message next to the field like the meeting page.
    national = ConventionFactory()
    regional = ConventionFactory(regional=True, parent=national, region=world.paca)
    cepl = OrganisationFactory(kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca)
    commitment = CommitmentFactory(convention=regional, signatory=cepl, article=19)
    client.force_login(world.lead)
    response = client.post(
        reverse("committees:commitment_document_upload", args=[commitment.pk]),
        {"file": upload("preuve.pdf", EXE)},
    )
    assert response.status_code == 400
    errors = response.context["document_form"].errors["file"]
    assert any("son extension ne correspond pas à son contenu" in error for error in errors)
    assert "son extension ne correspond pas" in response.content.decode()
    assert not commitment.documents.exists() and not Document.objects.exists()
    assert _files(private_media) == []


def test_a_real_pdf_is_kept_under_a_random_name_in_private_storage(client, meeting, private_media):
    response = client.post(
        reverse("committees:document_upload", args=[meeting.pk]),
        {"file": upload("../../Compte rendu.pdf", PDF)},
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.kind == "pdf"
    stored = _files(private_media)
    assert len(stored) == 1 and "Compte" not in stored[0]
    assert str(private_media) in document.file.path
    download = client.get(reverse("committees:document_download", args=[document.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="Compte_rendu.pdf"'
    assert b"".join(download.streaming_content) == PDF


def test_script_in_minutes_is_neutralised_with_a_warning(client, meeting):
    minutes = (
        "# Relevé\n\n<script>alert('x')</script>\n\n[piège](javascript:alert(1)) "
        "<img src=x onerror=alert(1)> [CNML](https://www.cnml.fr/)"
    )
    response = client.post(
        reverse("committees:minutes_save", args=[meeting.pk]), {"minutes": minutes}, follow=True
    )
    body = response.content.decode()
    assert "neutralisés à l&#x27;affichage" in body
    minutes_block = body.split('class="minutes')[1].split("</div>")[0]
    assert "<script" not in minutes_block
    assert "javascript:" not in minutes_block
    assert "onerror" not in minutes_block
    assert 'href="https://www.cnml.fr/"' in minutes_block
    # The page carries no inline script at all (the CSP forbids it anyway).
    assert "<script>" not in body
    assert "Content-Security-Policy" in response.headers


def test_owner_outside_the_committee_is_refused_and_typed_text_kept(client, world, meeting):
    response = client.post(
        reverse("committees:decision_add", args=[meeting.pk]),
        {
            "text": "Lancer les portes ouvertes",
            "action_title": "Constituer le groupe",
            "owner": world.outsider.pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        },
    )
    # The outsider is not even offered: Django's choice error, in French.
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert "owner" in form.errors
    assert "Lancer les portes ouvertes" in response.content.decode()
    assert not Decision.objects.exists() and not ActionItem.objects.exists()


def test_owner_who_left_the_committee_is_refused(client, world, meeting):
    # A member leaves between the page and the post: the choice is refused.
    form_data = {
        "title": "Relancer les entreprises",
        "owner": world.advisor.pk,
        "due_on": (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
    }
    world.committee.members.filter(user=world.advisor).delete()
    response = client.post(reverse("committees:action_add", args=[meeting.pk]), form_data)
    assert response.status_code == 400
    assert "owner" in response.context["action_form"].errors
    assert not ActionItem.objects.exists()


def test_owner_outside_committee_message_from_service(client, world, meeting, monkeypatch):
    from committees.views import meetings as views

    original = views._action_forms_querysets

    def offer_everyone(request, meeting):
        querysets = original(request, meeting)
        querysets["owners"] = type(world.outsider).objects.all()
        return querysets

    monkeypatch.setattr(views, "_action_forms_querysets", offer_everyone)
    response = client.post(
        reverse("committees:action_add", args=[meeting.pk]),
        {
            "title": "Relancer les entreprises",
            "owner": world.outsider.pk,
            "due_on": (timezone.localdate() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 400
    assert response.context["action_form"].errors["owner"] == [
        "Le responsable doit être membre du comité (en personne ou par son organisation)."
    ]
    assert 'value="Relancer les entreprises"' in response.content.decode()
    assert not ActionItem.objects.exists()


def test_past_due_date_is_refused_next_to_the_field(client, world, meeting):
    response = client.post(
        reverse("committees:action_add", args=[meeting.pk]),
        {
            "title": "Relancer les entreprises",
            "owner": world.advisor.pk,
            "due_on": (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 400
    assert response.context["action_form"].errors["due_on"] == [
        "L'échéance ne peut pas être dans le passé."
    ]
    assert "ne peut pas être dans le passé" in response.content.decode().replace("&#x27;", "'")
    assert not ActionItem.objects.exists()


def test_meeting_without_place_or_link_keeps_the_typed_values(client, world):
    client.force_login(world.lead)
    response = client.post(
        reverse("committees:meeting_create", args=[world.committee.pk]),
        {
            "title": "Réunion sans lieu",
            "starts_on": "15/01/2030",
            "starts_time": "14:00",
            "duration_minutes": 120,
            "video_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "video_url" in errors
    assert 'value="Réunion sans lieu"' in response.content.decode()
    assert not world.committee.meetings.exists()
