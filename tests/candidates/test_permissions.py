"""Every page of the candidate pool refuses users of another mission locale, and
recruiters, project leads, partners and national staff (403 or 404, never the data)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Organisation
from candidates.enums import PathwayStage
from candidates.models import Youth
from candidates.services import move_youth_to_mission_locale
from tests.accounts.factories import OrganisationFactory, make_member
from tests.helpers import assert_refused

from .factories import MentorFactory, MentoringPairFactory, YouthFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def youth():
    youth = YouthFactory(first_name="Yasmina", last_name="Secretnom", hired=True)
    MentoringPairFactory(youth=youth, mentor__last_name="Parrainsecret")
    youth.vae_projects.create(
        certification="Titre conseiller relation client", started_on=youth.registered_on
    )
    return youth


def youth_urls(youth):
    pair = youth.mentoring_pairs.get()
    check_in = youth.check_ins.first()
    project = youth.vae_projects.get()
    return [
        ("get", reverse("candidates:youth_detail", args=[youth.pk])),
        ("get", reverse("candidates:youth_edit", args=[youth.pk])),
        ("post", reverse("candidates:youth_edit", args=[youth.pk])),
        ("get", reverse("candidates:pathway_move", args=[youth.pk])),
        ("post", reverse("candidates:pathway_move", args=[youth.pk])),
        ("get", reverse("candidates:assessment_create", args=[youth.pk])),
        ("post", reverse("candidates:assessment_create", args=[youth.pk])),
        ("get", reverse("candidates:note_create", args=[youth.pk])),
        ("post", reverse("candidates:note_create", args=[youth.pk])),
        ("get", reverse("candidates:consent", args=[youth.pk])),
        ("post", reverse("candidates:consent", args=[youth.pk])),
        ("get", reverse("candidates:consent_withdraw", args=[youth.pk])),
        ("post", reverse("candidates:consent_withdraw", args=[youth.pk])),
        ("get", reverse("candidates:check_in_record", args=[check_in.pk])),
        ("post", reverse("candidates:check_in_record", args=[check_in.pk])),
        ("get", reverse("candidates:pair_create", args=[youth.pk])),
        ("get", reverse("candidates:pair_end", args=[pair.pk])),
        ("post", reverse("candidates:pair_end", args=[pair.pk])),
        ("get", reverse("candidates:meeting_create", args=[pair.pk])),
        ("get", reverse("candidates:vae_create", args=[youth.pk])),
        ("get", reverse("candidates:vae_edit", args=[youth.pk, project.pk])),
        ("get", reverse("candidates:youth_move", args=[youth.pk])),
        ("get", reverse("candidates:youth_data_page", args=[youth.pk])),
        ("get", reverse("candidates:youth_data_json", args=[youth.pk])),
        ("get", reverse("candidates:youth_anonymise", args=[youth.pk])),
        ("post", reverse("candidates:youth_anonymise", args=[youth.pk])),
        ("get", reverse("candidates:mentor_edit", args=[pair.mentor_id])),
        ("post", reverse("candidates:mentor_edit", args=[pair.mentor_id])),
        ("get", reverse("candidates:mentor_detail", args=[pair.mentor_id])),
    ]


def outsiders(youth):
    region = youth.mission_locale.region
    return [
        make_member(Role.ADVISOR, region=region),
        make_member(Role.ML_MANAGER, region=region),
        make_member(Role.RECRUITER, region=region),
        make_member(Role.PROJECT_LEAD, region=region),
        make_member(Role.NATIONAL),
        make_member(Role.PARTNER, region=region),
    ]


def test_every_youth_page_refuses_outsiders(client, youth):
    for user in outsiders(youth):
        for method, url in youth_urls(youth):
            assert_refused(
                client, user, url, method=method, must_not_contain=["Secretnom", youth.email]
            )
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.HIRED
    assert youth.status != "anonymised"


def test_pool_wide_pages_refuse_other_roles_and_show_nothing_of_other_mission_locales(
    client, youth
):
    urls = [
        reverse("candidates:youth_list"),
        reverse("candidates:youth_export", args=["csv"]),
        reverse("candidates:youth_create"),
        reverse("candidates:due_this_week"),
        reverse("candidates:mentor_list"),
        reverse("candidates:mentor_create"),
        reverse("candidates:import_upload"),
    ]
    region = youth.mission_locale.region
    for user in outsiders(youth)[2:]:
        for url in urls:
            assert_refused(client, user, url, must_not_contain=["Secretnom"])
    other_advisor = make_member(Role.ADVISOR, region=region)
    client.force_login(other_advisor)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        # The mentor list shows mentors, never youths: it must not show this one's mentor.
        assert "Secretnom" not in body and "Parrainsecret" not in body
    client.force_login(youth.advisor)
    assert "Parrainsecret" in client.get(reverse("candidates:mentor_list")).content.decode()


def test_advisor_of_another_mission_locale_cannot_create_a_youth_there(client, youth):
    stranger = make_member(Role.ADVISOR)
    client.force_login(stranger)
    response = client.post(
        reverse("candidates:youth_create"),
        {
            "mission_locale": youth.mission_locale_id,
            "first_name": "Intrus",
            "last_name": "Intrus",
            "birth_date": "01/01/2005",
            "advisor": youth.advisor_id,
        },
    )
    assert response.status_code == 200
    assert "mission_locale" in response.context["form"].errors
    assert not Youth.objects.filter(last_name="Intrus").exists()


def test_advisor_cannot_anonymise_or_transfer(client, youth):
    for url in (
        reverse("candidates:youth_anonymise", args=[youth.pk]),
        reverse("candidates:youth_move", args=[youth.pk]),
    ):
        client.force_login(youth.advisor)
        assert client.get(url).status_code == 403


def test_moved_youth_leaves_the_old_mission_locale(client, youth):
    old_ml = youth.mission_locale
    manager = make_member(Role.ML_MANAGER, organisation=old_ml)
    new_ml = OrganisationFactory(mission_locale=True, region=old_ml.region)
    new_advisor = make_member(Role.ADVISOR, organisation=new_ml)
    client.force_login(manager)
    response = client.post(
        reverse("candidates:youth_move", args=[youth.pk]),
        {"mission_locale": new_ml.pk, "reason": "Déménagement à Aix"},
    )
    assert response.status_code == 302
    assert "Secretnom est désormais suivi" in client.get(response.url).content.decode()
    assert "Secretnom" not in client.get(response.url).content.decode()
    youth.refresh_from_db()
    assert youth.mission_locale == new_ml and youth.advisor is None
    assert not youth.mentoring_pairs.active().exists()
    for method, url in youth_urls(youth)[:10]:
        assert_refused(client, manager, url, method=method, must_not_contain=["Secretnom"])
    old_advisor = (
        Organisation.objects.get(pk=old_ml.pk).memberships.filter(role=Role.ADVISOR).first().user
    )
    client.force_login(old_advisor)
    assert "Secretnom" not in client.get(reverse("candidates:youth_list")).content.decode()
    client.force_login(new_advisor)
    assert client.get(reverse("candidates:youth_detail", args=[youth.pk])).status_code == 200
    assert "Secretnom" in client.get(reverse("candidates:youth_list")).content.decode().title()


def test_moving_through_the_service_needs_a_real_other_mission_locale(youth):
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    company = OrganisationFactory(company=True)
    from django.core.exceptions import ValidationError

    for target in (youth.mission_locale, company):
        with pytest.raises(ValidationError):
            move_youth_to_mission_locale(youth=youth, mission_locale=target, actor=manager)


def test_mentor_of_another_mission_locale_cannot_be_paired(youth):
    from django.core.exceptions import ValidationError

    from candidates.services import end_mentoring, pair_mentor

    pair = youth.mentoring_pairs.get()
    end_mentoring(pair=pair, ended_on=pair.started_on, reason="", actor=youth.advisor)
    with pytest.raises(ValidationError) as exc:
        pair_mentor(
            youth=youth, mentor=MentorFactory(), started_on=pair.started_on, actor=youth.advisor
        )
    assert "mission locale" in exc.value.message_dict["mentor"][0]


def test_vae_edit_of_another_youths_project_is_a_404(client, youth):
    """The project is looked up among the youth's own projects: the pk of a project of
    another youth, even one the advisor follows, is not found."""
    own = youth.vae_projects.get()
    neighbour = YouthFactory(mission_locale=youth.mission_locale, advisor=youth.advisor)
    elsewhere = YouthFactory()
    for other in (neighbour, elsewhere):
        project = other.vae_projects.create(certification="Titre d'un autre", started_on=TODAY())
        url = reverse("candidates:vae_edit", args=[youth.pk, project.pk])
        client.force_login(youth.advisor)
        assert client.get(url).status_code == 404
        response = client.post(
            url,
            {
                "certification": "Détourné",
                "status": "project",
                "started_on": TODAY().strftime("%d/%m/%Y"),
            },
        )
        assert response.status_code == 404
        project.refresh_from_db()
        assert project.certification == "Titre d'un autre"
    assert client.get(reverse("candidates:vae_edit", args=[youth.pk, own.pk])).status_code == 200
    assert not youth.vae_projects.filter(certification="Détourné").exists()
