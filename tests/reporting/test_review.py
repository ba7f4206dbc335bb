"""The annual review (Art. 20): who writes which review, sections, PDF generation and
its states, versions kept, permission-checked download, restart after a dead worker."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.enums import Role
from candidates.enums import PathwayStage as S
from reporting import services
from reporting.enums import DocumentStatus, ReviewSectionKey
from reporting.models import AnnualReview, ReviewDocument, ReviewSection
from reporting.review import narrative as review_narrative
from reporting.review import render_review_pdf_bytes as render_review_pdf
from reporting.tasks import requeue_stale_reviews
from tests.accounts.factories import make_member
from tests.helpers import assert_refused

from .factories import AnnualReviewFactory, ReviewSectionFactory, YouthFactory, walk

SECRET_TEXT = "Texte confidentiel du bilan régional"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def people(world):
    return {
        "lead": make_member(Role.PROJECT_LEAD, region=world.region_a),
        "lead_b": make_member(Role.PROJECT_LEAD, region=world.region_b),
        "national": make_member(Role.NATIONAL),
        "advisor": make_member(Role.ADVISOR, organisation=world.ml1),
    }


def review_url(year, scope, name="reporting:review"):
    return reverse(name, args=[year, scope])


def region_slug(world):
    return f"region-{world.region_a.pk}"


def test_lead_writes_a_section_of_their_regions_review(client, people, world):
    client.force_login(people["lead"])
    response = client.post(
        review_url(2025, region_slug(world), "reporting:review_section"),
        {
            "section_key": "cooperation",
            "cooperation-key": "cooperation",
            "cooperation-text": "Bonne coopération.",
        },
    )
    assert response.status_code == 302
    review = AnnualReview.objects.get(year=2025, region=world.region_a)
    section = review.sections.get()
    assert (section.key, section.text, section.updated_by) == (
        "cooperation",
        "Bonne coopération.",
        people["lead"],
    )
    page = client.get(review_url(2025, region_slug(world))).content.decode()
    assert "Bonne coopération." in page
    assert "Générer le PDF" in page


def test_a_too_long_section_is_refused_and_kept(client, people, world):
    client.force_login(people["lead"])
    text = "x" * 20001
    response = client.post(
        review_url(2025, region_slug(world), "reporting:review_section"),
        {"section_key": "offers", "offers-key": "offers", "offers-text": text},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Au plus 20000 caractères (il y en a 20001)." in body
    assert text in body
    assert not ReviewSection.objects.exists()


@pytest.mark.parametrize("key", ["unknown", ""])
def test_an_unknown_section_is_404(client, people, world, key):
    client.force_login(people["lead"])
    response = client.post(
        review_url(2025, region_slug(world), "reporting:review_section"),
        {"section_key": key, f"{key}-key": key, f"{key}-text": "Texte."},
    )
    assert response.status_code == 404
    assert not AnnualReview.objects.exists()
    assert not ReviewSection.objects.exists()


def test_emptying_a_section_marks_it_not_written(people, world):
    review = AnnualReviewFactory(region=world.region_a)
    ReviewSectionFactory(review=review, key=ReviewSectionKey.OFFERS)
    services.write_review_section(actor=people["lead"], review=review, key="offers", text="  ")
    assert not review.sections.exists()


def test_national_staff_write_the_national_review_and_read_regional_ones(client, people, world):
    client.force_login(people["national"])
    assert client.get(review_url(2025, "national")).status_code == 200
    response = client.post(
        review_url(2025, "national", "reporting:review_section"),
        {
            "section_key": "next_actions",
            "next_actions-key": "next_actions",
            "next_actions-text": "Agir.",
        },
    )
    assert response.status_code == 302
    regional = client.get(review_url(2025, region_slug(world))).content.decode()
    assert "Générer le PDF" not in regional
    assert "Section non rédigée." in regional
    assert_refused(
        client,
        people["national"],
        review_url(2025, region_slug(world), "reporting:review_section"),
        method="post",
        data={"section_key": "offers", "offers-key": "offers", "offers-text": "Non."},
    )


def test_reviews_are_refused_outside_the_scope(client, people, world):
    review = AnnualReviewFactory(region=world.region_a)
    ReviewSectionFactory(review=review, text=SECRET_TEXT)
    document = ReviewDocument.objects.create(review=review, version=1, status=DocumentStatus.DONE)
    slug = region_slug(world)
    for user in (people["lead_b"], people["advisor"]):
        assert_refused(client, user, review_url(2025, slug), must_not_contain=[SECRET_TEXT])
        assert_refused(
            client,
            user,
            review_url(2025, slug, "reporting:review_section"),
            method="post",
            data={"section_key": "offers", "offers-text": "x"},
        )
        assert_refused(
            client, user, review_url(2025, slug, "reporting:review_generate"), method="post"
        )
        assert_refused(client, user, reverse("reporting:review_download", args=[document.pk]))
        assert_refused(
            client, user, reverse("reporting:review_restart", args=[document.pk]), method="post"
        )
    assert_refused(client, people["advisor"], reverse("reporting:review_list"))
    assert_refused(
        client,
        people["lead"],
        review_url(2025, "national", "reporting:review_generate"),
        method="post",
    )
    assert not ReviewDocument.objects.filter(review__region__isnull=True).exists()


@pytest.mark.parametrize(
    "path", ["2005/national", "2999/national", "2025/region-x", "2025/elsewhere"]
)
def test_bad_year_or_scope_is_404(client, people, path):
    client.force_login(people["national"])
    year, scope = path.split("/")
    assert client.get(review_url(int(year), scope)).status_code == 404


def _more_hires(world, count):
    for index in range(count):
        youth = YouthFactory(mission_locale=world.ml1, registered_on=datetime.date(2025, 2, 1))
        walk(
            youth,
            (S.INFORMATION, datetime.date(2025, 2, 1)),
            (S.HIRED, datetime.date(2025, 4, 1 + index)),
        )


def test_generated_pdf_holds_the_years_figures_and_the_narrative(
    client, people, world, django_capture_on_commit_callbacks, tasks_in_process
):
    _more_hires(world, 8)  # region A: 9 hires in 2025, none in 2024
    review = services.get_or_create_review(year=2025, region=world.region_a)
    services.write_review_section(
        actor=people["lead"],
        review=review,
        key="cooperation",
        text="Une coopération exemplaire entre les signataires.",
    )
    client.force_login(people["lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(2025, region_slug(world), "reporting:review_generate"))
    assert response.status_code == 302
    document = review.documents.get()
    assert document.status == DocumentStatus.DONE, document.error
    assert document.version == 1
    assert str(document.absolute_path).startswith(
        str(people and world and document.absolute_path.parents[2])
    )
    download = client.get(reverse("reporting:review_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    # A stored file leaves as a download nothing can run in: the same as any document.
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    pdf = b"".join(download.streaming_content)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Bilan annuel 2025" in text
    assert "Sommaire" in text
    assert "Embauches 9 0 9" in text
    assert "Une coopération exemplaire entre les signataires." in text
    assert text.count("Section non rédigée.") == 4
    assert "L'état des engagements" in text
    assert "avancement du plan d'action" in text
    assert "Benali" not in text


def test_written_sections_print_their_markdown_formatted_and_safe(people, world):
    """A section's Markdown reaches the PDF as formatting, never as raw asterisks, and
    the writer's titles sit below the section's own heading (an `<h3>` in the PDF)."""
    review = services.get_or_create_review(year=2025, region=world.region_a)
    services.write_review_section(
        actor=people["lead"],
        review=review,
        key="cooperation",
        text="# Bilan\n\nDes **rencontres métiers** chaque mois.\n\n<script>alert(1)</script>",
    )
    sections = {part["key"]: part for part in review_narrative(review)}
    html = sections["cooperation"]["html"]
    assert "<h4>Bilan</h4>" in html
    assert "<strong>rencontres métiers</strong>" in html
    assert "**" not in html and "<script" not in html
    assert all(part["html"] == "" for key, part in sections.items() if key != "cooperation")

    pdf = render_review_pdf(review)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Des rencontres métiers chaque mois." in text
    assert "**" not in text


def test_generating_again_keeps_the_earlier_versions(
    people, world, django_capture_on_commit_callbacks
):
    review = services.get_or_create_review(year=2025)
    with django_capture_on_commit_callbacks(execute=False):
        first = services.request_review_pdf(actor=people["national"], review=review)
    with pytest.raises(Exception, match="déjà en cours"):
        services.request_review_pdf(actor=people["national"], review=review)
    services.render_review_document(document_id=first.pk)
    with django_capture_on_commit_callbacks(execute=False):
        second = services.request_review_pdf(actor=people["national"], review=review)
    services.render_review_document(document_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.absolute_path.is_file() and second.absolute_path.is_file()
    assert first.absolute_path != second.absolute_path


def test_a_failed_rendering_shows_its_reason_and_can_be_restarted(
    client, people, world, django_capture_on_commit_callbacks
):
    review = services.get_or_create_review(year=2025)
    with django_capture_on_commit_callbacks(execute=False):
        document = services.request_review_pdf(actor=people["national"], review=review)
    with mock.patch(
        "reporting.review.render_review_pdf_bytes", side_effect=OSError("disque plein")
    ):
        with pytest.raises(OSError):
            services.render_review_document(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    client.force_login(people["national"])
    page = client.get(review_url(2025, "national")).content.decode()
    assert "OSError: disque plein" in page
    assert "Relancer" in page
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reporting:review_restart", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == DocumentStatus.QUEUED


def test_a_rendering_whose_worker_died_is_requeued(
    client, people, world, tasks_in_process, django_capture_on_commit_callbacks
):
    review = services.get_or_create_review(year=2025)
    document = ReviewDocument.objects.create(
        review=review,
        version=1,
        status=DocumentStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=40),
    )
    client.force_login(people["national"])
    page = client.get(review_url(2025, "national")).content.decode()
    assert "Interrompue" in page
    assert "Relancer" in page
    # a new generation is not blocked by the dead one
    assert not review.documents.in_flight().exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = requeue_stale_reviews()
    assert result == {"requeued": [document.pk]}
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE
    assert document.absolute_path.is_file()


def test_a_running_rendering_is_not_rendered_twice(people, world):
    review = services.get_or_create_review(year=2025)
    document = ReviewDocument.objects.create(
        review=review, version=1, status=DocumentStatus.RUNNING, started_at=timezone.now()
    )
    with mock.patch("reporting.review.render_review_pdf_bytes") as render:
        services.render_review_document(document_id=document.pk)
    render.assert_not_called()


def test_review_list_and_page_show_the_states(client, people, world, django_assert_max_num_queries):
    review = services.get_or_create_review(year=2025, region=world.region_a)
    for version in range(1, 6):
        ReviewDocument.objects.create(
            review=review,
            version=version,
            status=DocumentStatus.FAILED,
            error="ValueError: x",
            requested_by=people["lead"],
        )
    client.force_login(people["lead"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("reporting:review_list")).status_code == 200
    with django_assert_max_num_queries(15):
        page = client.get(review_url(2025, region_slug(world)))
    assert page.content.decode().count("ValueError: x") == 5
    fragment = client.get(
        review_url(2025, region_slug(world)) + "?fragment=documents", headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.content.decode()
