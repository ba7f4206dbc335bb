import pytest

from accounts import seed as accounts_seed
from candidates import seed
from candidates.enums import PathwayStage
from candidates.models import Assessment, FollowUpNote, MentoringPair, Youth


@pytest.mark.django_db
def test_seed_spreads_youths_over_the_pathway_and_is_idempotent():
    demo = accounts_seed.seed(password="un-mot-de-passe-solide-42")
    seed.seed(demo)
    count = Youth.objects.count()
    assert 190 <= count <= 210
    assert set(Youth.objects.values_list("current_stage", flat=True)) == set(PathwayStage.values)
    assert Assessment.objects.exists() and FollowUpNote.objects.exists()
    assert MentoringPair.objects.active().exists()
    marseille = demo.organisations["ml_marseille"]
    assert (
        Youth.objects.visible_to(demo.users["advisor"]).filter(mission_locale=marseille).count()
        == 140
    )
    assert not Youth.objects.visible_to(demo.users["recruiter"]).exists()
    summary = seed.seed(demo)
    assert summary.startswith("0 youths created")
    assert Youth.objects.count() == count
