"""`PortalModel`: every model of the portal derives from it, and its choice labels are
Django's own, in each language."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from accounts.model_base import PortalModel

ROOT = Path(settings.BASE_DIR).resolve()


def portal_models():
    """The concrete models of the portal's own apps (not Django's or a library's)."""
    found = []
    for config in apps.get_app_configs():
        if ROOT not in Path(config.path).resolve().parents:
            continue
        if ".venv" in Path(config.path).parts:
            continue
        found.extend(config.get_models())
    return found


def test_the_portal_has_models_to_check():
    names = {model._meta.label for model in portal_models()}
    assert {"candidates.Youth", "offers.Offer", "immersion.Session", "accounts.User"} <= names


@pytest.mark.parametrize("model", portal_models(), ids=lambda model: model._meta.label)
def test_every_portal_model_derives_from_portal_model(model):
    assert issubclass(model, PortalModel), (
        f"{model._meta.label} should derive from accounts.model_base.PortalModel"
    )


def _choice_fields():
    for model in portal_models():
        for field in model._meta.concrete_fields:
            if field.choices:
                yield model, field


CHOICE_FIELDS = list(_choice_fields())


def test_there_are_choice_fields_to_compare():
    assert len(CHOICE_FIELDS) > 40


@pytest.mark.parametrize("language", ["fr", "en"])
def test_labels_are_djangos_for_every_choice_of_every_model(language):
    compared = 0
    with translation.override(language):
        for model, field in CHOICE_FIELDS:
            values = [value for value, _label in field.flatchoices]
            values += ["not-a-choice", None, 987654]
            for value in values:
                row = model()
                setattr(row, field.attname, value)
                ours = getattr(row, f"get_{field.name}_display")()
                djangos = models.Model._get_FIELD_display(row, field)
                assert ours == djangos, (model._meta.label, field.name, value, language)
                assert type(ours) is type(djangos)
                compared += 1
    assert compared > 200


def test_the_label_follows_the_active_language():
    from candidates.enums import EducationLevel
    from candidates.models import Youth

    youth = Youth(education_level=EducationLevel.HIGHER)
    with translation.override("fr"):
        assert youth.get_education_level_display() == "Bac +3 et plus"
    with translation.override("en"):
        assert youth.get_education_level_display() != "Bac +3 et plus"
