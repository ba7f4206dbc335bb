"""The offers app's lists as CSV and XLSX (issue 15, item 5): "Mes offres", the region's
offers, the published offers advisors browse, the mission locale's proposals and an
offer's board. Each file has its page's columns and filters, only the user's scope,
the same rows in both formats, a constant number of queries, and an access-log entry
when it names youths; a company's file never names a youth who does not share."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.access_log import AccessLogEntry
from candidates.enums import AccessKind, ConsentMethod
from candidates.services import withdraw_sharing_consent
from offers.enums import ContractType, OfferStatus, ProposalStatus
from tests.candidates.factories import YouthFactory
from tests.exports import download, export_link_urls, fetch, page_columns, read_csv

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _log():
    return list(AccessLogEntry.objects.filter(kind=AccessKind.LIST_EXPORT).order_by("pk"))


def _assert_constant_queries(client, name, *args, grow, django_assert_num_queries, query=None):
    """The export's queries with the rows there are, then after `grow()` added many."""
    url = reverse(name, args=[*args, "csv"])
    client.get(url, query or {})  # the session warmed
    with CaptureQueriesContext(connection) as few:
        client.get(url, query or {})
    grow()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, query or {})
    return read_csv(response.content)


# --- "Mes offres" (recruiters) -----------------------------------------------------------------


@pytest.fixture
def recruiter_offers(world):
    published = OfferFactory(company=world.company, job_role=world.role, published=True)
    ProposalFactory(offer=published, seen=True)
    ProposalFactory(offer=published, declined=True)
    draft = OfferFactory(company=world.company, job_role=world.role, city="Aubagne")
    OfferFactory(company=world.other_company, job_role=world.role, published=True)
    return published, draft


def test_my_offers_export_has_the_page_columns_and_the_recruiter_s_offers_only(
    client, world, recruiter_offers
):
    published, draft = recruiter_offers
    client.force_login(world.recruiter)
    page = client.get(reverse("offers:my_offers"))
    header, *rows = download(client, "offers:my_offers_export")
    assert header == page_columns(page.content, after="Vos offres et le nombre")
    assert len(rows) == 2  # the other company's offer is not there
    by_state = {row[1]: row for row in rows}
    published_row = by_state["Publiée"]
    assert published_row[0] == f"{world.role} · CDI · 13015 Marseille"
    assert published_row[2] == "0 / 2"
    stage = dict(zip(header, published_row, strict=True))
    assert (stage["Proposée"], stage["Vue"], stage["Refusée"]) == ("0", "1", "1")
    assert published_row[-1] == published.closing_date.strftime("%d/%m/%Y")
    # The page links to both formats.
    assert export_link_urls(page.content) == [
        reverse("offers:my_offers_export", args=["csv"]),
        reverse("offers:my_offers_export", args=["xlsx"]),
    ]


def test_my_offers_export_follows_the_filter_and_logs_no_access(client, world, recruiter_offers):
    client.force_login(world.recruiter)
    page = client.get(reverse("offers:my_offers"), {"status": "draft"})
    assert export_link_urls(page.content)[0].endswith("export.csv?status=draft")
    _header, *rows = download(client, "offers:my_offers_export", query={"status": "draft"})
    assert [row[1] for row in rows] == ["Brouillon"]
    assert _log() == []  # counts only, no youth


def test_my_offers_export_is_for_recruiters(client, world):
    client.force_login(world.advisor)
    assert client.get(reverse("offers:my_offers_export", args=["csv"])).status_code == 403


def test_my_offers_export_queries_do_not_grow_with_rows(
    client, world, recruiter_offers, django_assert_num_queries
):
    client.force_login(world.recruiter)

    def grow():
        for _ in range(15):
            offer = OfferFactory(company=world.company, job_role=world.role, published=True)
            ProposalFactory(offer=offer)

    _header, *rows = _assert_constant_queries(
        client,
        "offers:my_offers_export",
        grow=grow,
        django_assert_num_queries=django_assert_num_queries,
    )
    assert len(rows) == 17


# --- The region's offers (project leads) ---------------------------------------------------------


def test_region_offers_export_holds_both_tables_of_the_page_and_its_filter(client, world):
    OfferFactory(company=world.company, job_role=world.role, submitted=True)
    published = OfferFactory(company=world.other_company, job_role=world.role, published=True)
    ProposalFactory(offer=published)
    OfferFactory(company=world.company, job_role=world.role)  # a draft: never the lead's
    lyon = OfferFactory(job_role=world.role, published=True, company__region=world.lyon)
    client.force_login(world.lead)
    page = client.get(reverse("offers:region_offers"))
    header, *rows = download(client, "offers:region_offers_export")
    assert header == page_columns(page.content, after='id="all-offers"')
    assert sorted(row[2] for row in rows) == ["Publiée", "Soumise au chargé de projet"]
    assert {row[1] for row in rows} == {world.company.name, world.other_company.name}
    assert [row[4] for row in rows if row[2] == "Publiée"] == ["1"]
    _header, *filtered = download(
        client, "offers:region_offers_export", query={"status": OfferStatus.PUBLISHED}
    )
    assert [row[1] for row in filtered] == [world.other_company.name]
    # The lead of another region: their region's offers only.
    client.force_login(world.lead_lyon)
    _header, *theirs = download(client, "offers:region_offers_export")
    assert [row[1] for row in theirs] == [lyon.company.name]


def test_region_offers_export_is_for_project_leads(client, world):
    client.force_login(world.recruiter)
    assert client.get(reverse("offers:region_offers_export", args=["xlsx"])).status_code == 403


def test_region_offers_export_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    OfferFactory(company=world.company, job_role=world.role, published=True)
    client.force_login(world.lead)

    def grow():
        for _ in range(12):
            ProposalFactory(
                offer=OfferFactory(
                    company=world.company, job_role=world.role, large=True, published=True
                )
            )

    _header, *rows = _assert_constant_queries(
        client,
        "offers:region_offers_export",
        grow=grow,
        django_assert_num_queries=django_assert_num_queries,
    )
    assert len(rows) == 13
    assert all("Accompagnement CEPL" in row[2] for row in rows[:12])


# --- Published offers (advisors) -----------------------------------------------------------------


def test_browse_offers_export_follows_the_filters_and_the_advisor_s_region(client, world):
    cdi = OfferFactory(company=world.company, job_role=world.role, published=True)
    OfferFactory(
        company=world.other_company,
        job_role=world.role,
        published=True,
        contract_type=ContractType.CDD,
    )
    OfferFactory(company=world.company, job_role=world.role, submitted=True)  # not published
    OfferFactory(job_role=world.role, published=True, company__region=world.lyon)
    client.force_login(world.advisor)
    page = client.get(reverse("offers:browse_offers"))
    header, *rows = download(client, "offers:browse_offers_export")
    assert header == page_columns(page.content, after="Offres correspondant aux filtres")
    assert len(rows) == 2
    query = {"contract_type": ContractType.CDI}
    fragment = client.get(reverse("offers:browse_offers"), query, headers={"HX-Request": "true"})
    assert export_link_urls(fragment.content)[1].endswith("export.xlsx?contract_type=cdi")
    _header, *filtered = download(client, "offers:browse_offers_export", query=query)
    assert filtered == [
        [
            str(world.role),
            world.company.name,
            "CDI",
            "35",
            "13015 Marseille",
            cdi.start_date.strftime("%d/%m/%Y"),
            "2",
        ]
    ]
    # An advisor of another region reads their region's offers only.
    client.force_login(world.advisor_lyon)
    _header, *theirs = download(client, "offers:browse_offers_export")
    assert [row[1] for row in theirs] != [] and world.company.name not in {r[1] for r in theirs}


def test_browse_offers_export_is_for_missions_locales(client, world):
    client.force_login(world.recruiter)
    assert client.get(reverse("offers:browse_offers_export", args=["csv"])).status_code == 403


def test_browse_offers_export_queries_do_not_grow_with_rows(
    client, world, django_assert_num_queries
):
    OfferFactory(company=world.company, job_role=world.role, published=True)
    client.force_login(world.advisor)
    _header, *rows = _assert_constant_queries(
        client,
        "offers:browse_offers_export",
        grow=lambda: OfferFactory.create_batch(
            20, company=world.company, job_role=world.role, published=True
        ),
        django_assert_num_queries=django_assert_num_queries,
    )
    assert len(rows) == 21


# --- The mission locale's proposals (advisors) ---------------------------------------------------


@pytest.fixture
def ml_proposals(world, published_offer):
    ours = ProposalFactory(
        offer=published_offer,
        youth__mission_locale=world.ml,
        youth__advisor=world.advisor,
        youth__first_name="Inès",
        youth__last_name="Zerbib",
        proposed_by=world.advisor,
        interview=True,
    )
    declined = ProposalFactory(
        offer=published_offer,
        youth__mission_locale=world.ml,
        youth__advisor=world.advisor,
        declined=True,
    )
    theirs = ProposalFactory(
        offer=published_offer,
        youth__mission_locale=world.ml_aix,
        youth__advisor=world.advisor_aix,
        youth__last_name="Voisinaix",
    )
    return ours, declined, theirs


def test_proposal_list_page_and_export_show_the_mission_locale_s_youths(
    client, world, ml_proposals
):
    ours, declined, _theirs = ml_proposals
    client.force_login(world.advisor)
    page = client.get(reverse("offers:proposal_list"))
    assert page.status_code == 200
    assert "Voisinaix" not in page.content.decode()
    header, *rows = download(client, "offers:proposal_list_export")
    assert header == page_columns(page.content, after="Les candidatures aux offres")
    assert header == [
        "Jeune",
        "Offre",
        "Entreprise",
        "Proposée par",
        "Proposée le",
        "État",
        "Motif du refus",
    ]
    assert {row[0] for row in rows} == {str(ours.youth), str(declined.youth)}
    [inès] = [row for row in rows if row[0] == "Inès Zerbib"]
    assert inès[2:] == [
        world.company.name,
        "Camille Durand",
        ours.created_at.strftime("%d/%m/%Y"),
        "Entretien",
        "",
    ]
    # Each download of the list is in the access log, with its rows and mission locale.
    entries = _log()
    assert [(e.rows, e.mission_locale_id, e.user_id) for e in entries] == [
        (2, world.ml.pk, world.advisor.pk),
        (2, world.ml.pk, world.advisor.pk),
    ]
    assert entries[0].url_name == "offers:proposal_list_export"


def test_proposal_list_export_follows_the_filter(client, world, ml_proposals):
    _ours, declined, _theirs = ml_proposals
    client.force_login(world.advisor)
    query = {"status": ProposalStatus.DECLINED}
    page = client.get(reverse("offers:proposal_list"), query)
    assert export_link_urls(page.content)[0].endswith("export.csv?status=declined")
    _header, *rows = download(client, "offers:proposal_list_export", query=query)
    assert [(row[0], row[5], row[6]) for row in rows] == [
        (str(declined.youth), "Refusée", "Profil ne correspondant pas au poste")
    ]


def test_proposal_list_of_another_mission_locale_holds_only_its_own(client, world, ml_proposals):
    client.force_login(world.advisor_aix)
    _header, *rows = download(client, "offers:proposal_list_export")
    assert [row[0].split()[-1] for row in rows] == ["Voisinaix"]
    for user in (world.lead, world.national):
        client.force_login(user)
        assert client.get(reverse("offers:proposal_list")).status_code == 403
        assert client.get(reverse("offers:proposal_list_export", args=["csv"])).status_code == 403
    # The company follows the proposals to its offers, each youth named as on its board:
    # "Prénom I." until the interview, the full name with the contact from then on.
    client.force_login(world.other_recruiter)
    _header, *rows = download(client, "offers:proposal_list_export")
    assert rows == []
    client.force_login(world.recruiter)
    page = client.get(reverse("offers:proposal_list")).content.decode()
    _header, *rows = download(client, "offers:proposal_list_export")
    names = sorted(row[0] for row in rows)
    assert "Inès Zerbib" in names  # called to an interview
    assert not any("Voisinaix" in name for name in names)  # not yet: "Prénom V."
    assert "Voisinaix" not in page and len(names) == 3


def test_proposal_list_page_and_export_queries_do_not_grow_with_rows(
    client, world, ml_proposals, published_offer, django_assert_num_queries
):
    client.force_login(world.advisor)
    page_url = reverse("offers:proposal_list")
    client.get(page_url)
    with CaptureQueriesContext(connection) as few:
        client.get(page_url)

    def grow():
        for _ in range(30):
            ProposalFactory(
                offer=OfferFactory(company=world.company, job_role=world.role, published=True),
                youth__mission_locale=world.ml,
                youth__advisor=world.advisor,
            )

    _header, *rows = _assert_constant_queries(
        client,
        "offers:proposal_list_export",
        grow=grow,
        django_assert_num_queries=django_assert_num_queries,
    )
    assert len(rows) == 32
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(page_url)


# --- An offer's board (recruiters) ---------------------------------------------------------------


def test_board_export_names_only_youths_who_share(client, world, published_offer):
    sharing = ProposalFactory(
        offer=published_offer, youth__first_name="Inès", youth__last_name="Zerbib", seen=True
    )
    leaving = ProposalFactory(
        offer=published_offer,
        youth__first_name="Zélie",
        youth__last_name="Quesnoy",
        youth__email="zelie.quesnoy@exemple.fr",
    )
    withdraw_sharing_consent(
        youth=leaving.youth, actor=leaving.youth.advisor, method=ConsentMethod.ORAL
    )
    client.force_login(world.recruiter)
    page = client.get(reverse("offers:offer_board", args=[published_offer.pk]))
    assert export_link_urls(page.content) == [
        reverse("offers:offer_board_export", args=[published_offer.pk, "csv"]),
        reverse("offers:offer_board_export", args=[published_offer.pk, "xlsx"]),
    ]
    header, *rows = download(client, "offers:offer_board_export", published_offer.pk)
    assert header == [
        "Candidat·e",
        "Âge",
        "Étape du parcours",
        "État",
        "Motif du refus",
        "Proposée le",
    ]
    assert rows[0][:4] == [
        "Inès Z.",
        str(sharing.youth.age),
        sharing.youth.get_current_stage_display(),
        "Vue",
    ]
    assert rows[1][:5] == ["Candidature retirée", "—", "—", "Retirée", ""]
    for fmt in ("csv", "xlsx"):
        content = fetch(client, "offers:offer_board_export", published_offer.pk, fmt=fmt).content
        for secret in (b"Zerbib", b"Z\xc3\xa9lie", b"Quesnoy", b"zelie.quesnoy"):
            assert secret not in content, (fmt, secret)
    # Shared profiles were read: one entry per download, with its rows.
    assert [(e.rows, e.user_id, e.url_name) for e in _log()] == [
        (2, world.recruiter.pk, "offers:offer_board_export")
    ] * 4


def test_board_export_names_a_youth_in_full_once_called_to_interview(
    client, world, published_offer
):
    """As on the board: from the interview on, the recruiter has the youth's contact
    details, and the full name with them (`offers.sharing.proposal_youth_as_seen`)."""
    ProposalFactory(
        offer=published_offer, youth__first_name="Inès", youth__last_name="Zerbib", interview=True
    )
    client.force_login(world.recruiter)
    board = client.get(reverse("offers:offer_board", args=[published_offer.pk]))
    assert "Inès Zerbib" in board.content.decode()
    _header, *rows = download(client, "offers:offer_board_export", published_offer.pk)
    assert [row[0] for row in rows] == ["Inès Zerbib"]


def test_board_export_is_the_company_s_only(client, world, published_offer):
    ProposalFactory(offer=published_offer)
    url = reverse("offers:offer_board_export", args=[published_offer.pk, "csv"])
    client.force_login(world.other_recruiter)
    assert client.get(url).status_code in (403, 404)
    client.force_login(world.recruiter_lyon)
    assert client.get(url).status_code == 404
    client.force_login(world.advisor)
    assert client.get(url).status_code == 403
    assert _log() == []


def test_board_export_queries_do_not_grow_with_rows(
    client, world, published_offer, django_assert_num_queries
):
    ProposalFactory(offer=published_offer)
    client.force_login(world.recruiter)

    def grow():
        ProposalFactory.create_batch(25, offer=published_offer)
        YouthFactory(mission_locale=world.ml)  # a youth not proposed: not on the board

    _header, *rows = _assert_constant_queries(
        client,
        "offers:offer_board_export",
        published_offer.pk,
        grow=grow,
        django_assert_num_queries=django_assert_num_queries,
    )
    assert len(rows) == 26


def test_proposal_list_export_per_offer_from_the_offer_s_page(
    client, world, ml_proposals, published_offer
):
    ours, declined, _theirs = ml_proposals
    other_offer = OfferFactory(company=world.other_company, job_role=world.role, published=True)
    elsewhere = ProposalFactory(
        offer=other_offer, youth__mission_locale=world.ml, youth__advisor=world.advisor
    )
    client.force_login(world.advisor)
    detail = client.get(reverse("offers:offer_detail", args=[other_offer.pk]))
    list_url = reverse("offers:proposal_list") + f"?offre={other_offer.pk}"
    assert list_url in detail.content.decode()
    page = client.get(list_url)
    assert export_link_urls(page.content)[0].endswith(f"export.csv?offre={other_offer.pk}")
    _header, *rows = download(
        client, "offers:proposal_list_export", query={"offre": other_offer.pk}
    )
    assert [row[0] for row in rows] == [str(elsewhere.youth)]
    _header, *rows = download(
        client, "offers:proposal_list_export", query={"offre": published_offer.pk}
    )
    assert sorted(row[0] for row in rows) == sorted([str(ours.youth), str(declined.youth)])
