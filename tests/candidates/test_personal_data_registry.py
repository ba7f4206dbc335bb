"""The personal-data registry covers every model that points to a youth, and each of its
entries is sound: its lookup reaches the youth, its fields exist and hold text.

A new model with a foreign key to `candidates.Youth`, or to a model that itself points
to a youth (a proposal, an enrolment, a mentoring pair...: the chain is followed),
fails `test_every_model_pointing_to_a_youth_is_registered` until its app's
`personal_data.py` registers it (its export section and its anonymisation rule) or it
is listed in NOT_REGISTERED below with the reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from candidates.models import Youth
from candidates.personal_data_registry import (
    MASK,
    Identity,
    batch_purges,
    holdings,
    purges,
    registered_models,
)

#: Models that point to a youth but hold nothing of them to export or anonymise, each
#: with the reason. Keep it short: every entry is a hole in the subject's rights.
NOT_REGISTERED: dict[str, str] = {}


def models_pointing_to_a_youth() -> set[type[models.Model]]:
    """Every installed model with a foreign key, one-to-one or many-to-many field to a
    youth, or to a model that does (followed until nothing new is found)."""
    pointing = {Youth}
    found = True
    while found:
        found = False
        for model in apps.get_models():
            if model in pointing:
                continue
            if any(
                field.is_relation and field.related_model in pointing
                for field in model._meta.get_fields()
                if field.concrete or field.many_to_many
            ):
                pointing.add(model)
                found = True
    return pointing


def test_every_model_pointing_to_a_youth_is_registered():
    pointing = models_pointing_to_a_youth()
    missing = sorted(
        model._meta.label
        for model in pointing - registered_models()
        if model._meta.label not in NOT_REGISTERED
    )
    assert not missing, (
        "These models point to a youth but are not in the personal-data registry: "
        f"{missing}. Register each in its app's personal_data.py (a Holding: its export "
        "section and its anonymisation rule, see candidates/personal_data_registry.py), "
        "or list it in NOT_REGISTERED with the reason."
    )
    stale = [label for label in NOT_REGISTERED if apps.get_model(label) not in pointing]
    assert not stale, f"NOT_REGISTERED names models that point to no youth: {stale}"
    assert not set(NOT_REGISTERED) & {m._meta.label for m in registered_models()}


def test_the_registry_covers_the_apps_that_hold_youths():
    """The registry finds each app's module: candidates, offers and immersion at least
    (a module that stopped being found would silently drop its sections)."""
    labels = {holding.model._meta.app_label for holding in holdings()}
    assert {"candidates", "offers", "immersion"} <= labels
    assert len({h.key for h in holdings()}) == len(holdings()), "section keys must be unique"
    assert len(registered_models()) == len(holdings()), "one holding per model"
    assert [p.__name__ for p in purges()] == ["scrub_audit_trail"]
    assert [p.__name__ for p in batch_purges()] == ["purge_import_rows", "close_youth_accounts"]


def _follow(model: type[models.Model], lookup: str) -> type[models.Model]:
    if lookup == "pk":
        return model
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return model


@pytest.mark.parametrize("holding", holdings(), ids=lambda h: h.label)
def test_each_holding_reaches_the_youth_and_names_text_fields(holding):
    assert _follow(holding.model, holding.to_youth) is Youth, holding.to_youth
    text = (models.CharField, models.TextField)
    for name in (*holding.clear, *holding.redact):
        assert isinstance(holding.model._meta.get_field(name), text), name
    for name in holding.replace:
        holding.model._meta.get_field(name)
    assert set(holding.clear_unless) <= set(holding.clear)
    keys = [column.key for column in holding.columns]
    assert len(set(keys)) == len(keys), f"duplicate column keys in {holding.key}"
    # Every text of the model a person may have typed is either cleared, replaced or
    # redacted, or named here as kept (a title, a company's name, a status, a code).
    kept = KEPT_TEXT.get(holding.label, set())
    handled = set(holding.clear) | set(holding.redact) | set(holding.replace) | kept
    texts = {
        f.name for f in holding.model._meta.concrete_fields if isinstance(f, text) and not f.choices
    }
    assert texts <= handled, f"text fields with no rule: {texts - handled}"


#: Text fields anonymisation keeps, per model, and why each names nobody.
KEPT_TEXT = {
    "candidates.Youth": {
        # a random one-time token of the registration form
        "submission_token",
    },
    # the certification aimed at and its certifier (a ministry, an institute)
    "candidates.VaeProject": {"certification", "certifier"},
    # the company or association that employs the youth under the CAE contract
    "immersion.CaeContract": {"employer"},
    # the machine name of the move ("hire", "decline")
    "offers.ProposalTransition": {"action"},
    # the row named by reference ("offers.Proposal#12") and its id, a correlation id,
    # the acting staff member's email (never set: the actor is an id) and the old text
    # form of the changes (never written; emptied by the scrub): the values themselves
    # are JSON, masked by `audit.personal_data.scrub_audit_trail`
    "audit.AuditEntry": {"object_repr", "object_pk", "cid", "actor_email", "changes_text"},
    # the page read (its URL name and path, ids only: no query string) and the kind of
    # object (`offers.proposal`)
    "candidates.AccessLogEntry": {"object_type", "path", "url_name"},
    # the SHA-256 of a reminder's random answer token (the token itself is never kept)
    "youthspace.AnswerLink": {"digest"},
}


def test_identity_masks_every_way_of_writing_the_youth():
    identity = Identity("Inès", "Le Goff-Martin", "ines.lg@exemple.fr", "0612345678")
    text = (
        "INES et Inès le goff-martin (ines.lg@EXEMPLE.fr) au 06 12 34 56 78, "
        "+33 6 12 34 56 78 ou 0612345678. Martinez et Goffin restent."
    )
    masked = identity.redact(text)
    for trace in (r"in[eè]s", r"goff", r"martin", r"ines\.lg", r"12 34", r"612345678"):
        assert not re.search(rf"\b{trace}\b", masked, re.IGNORECASE), (trace, masked)
    assert masked.startswith(f"{MASK} et {MASK} ({MASK}) au {MASK}, {MASK} ou {MASK}.")
    assert masked.endswith("Martinez et Goffin restent.")
    assert identity.redact("Rien à voir.") == "Rien à voir."


def test_a_row_is_the_youths_when_it_names_them_both_or_gives_their_contact():
    identity = Identity("Inès", "Martin", "ines@exemple.fr", "0612345678")
    assert identity.is_named_in("MARTIN | Ines | 2005-01-01")
    assert identity.is_named_in("Autre | autre@x.fr | 06.12.34.56.78")
    assert identity.is_named_in("Autre | INES@exemple.fr")
    assert not identity.is_named_in("Martin | Paul | paul@exemple.fr")
    assert not identity.is_named_in("Durand | Inès")
    assert not identity.is_named_in("Martinez | Inèsa")


def test_docs_name_every_section_of_the_registry():
    """docs/rgpd.md's table of what each part of the portal holds names every section and
    model of the registry: the record the DPO reads agrees with the code."""
    doc = (Path(settings.BASE_DIR) / "docs/rgpd.md").read_text()
    rows = {
        line.split("|")[1].strip(): line.split("|")[2].strip()
        for line in doc.splitlines()
        if line.startswith("| ") and "`" in line
    }
    for holding in holdings():
        assert rows.get(str(holding.title)) == f"`{holding.label}`", holding.label


@pytest.mark.parametrize(
    "text",
    [
        "Inès ZERBIB, 12/03/2005",
        "zerbib | ines | 13001",
        "contact : INES.Z@exemple.FR",
        "tél. +33 6 71 82 93 04",
        "06.71.82.93.04",
        "Jean-Pierre de la Fontaine",
        "Léa Zerbib",
        "Inès Martin",
        "rien à voir",
    ],
)
def test_the_finder_of_many_identities_agrees_with_each_identity(text):
    """The retention job's shortcut (`IdentityFinder`) finds what checking each
    identity finds, no more, no less."""
    from candidates.personal_data_registry import IdentityFinder

    identities = [
        Identity("Inès", "Zerbib", "ines.z@exemple.fr", "06 71 82 93 04"),
        Identity("Jean-Pierre", "de la Fontaine"),
        Identity("Nassim", "Amrani", "", "0612345678"),
    ]
    expected = any(identity.is_named_in(text) for identity in identities)
    assert IdentityFinder(identities).named_in(text) == expected
