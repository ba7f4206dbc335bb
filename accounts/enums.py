from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CNML = "cnml", _("CNML (Conseil national des missions locales)")
    AFRC = "afrc", _("AFRC (Association française de la relation client)")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    BUSINESS_NETWORK = "business_network", _("Réseau d'entreprises (CEPL ou équivalent)")
    COMPANY = "company", _("Entreprise")
    TRAINING_BODY = "training_body", _("Organisme de formation")
    OTHER_PARTNER = (
        "other_partner",
        _("Autre partenaire (service public de l'emploi, État, Région)"),
    )

    @classmethod
    def national(cls) -> tuple[str, ...]:
        """Kinds that act nationally and belong to no region."""
        return (cls.CNML, cls.AFRC)


class Role(models.TextChoices):
    ADVISOR = "advisor", _("Conseiller")
    ML_MANAGER = "ml_manager", _("Responsable de mission locale")
    RECRUITER = "recruiter", _("Recruteur")
    PROJECT_LEAD = "project_lead", _("Chargé de projet")
    NATIONAL = "national", _("Équipe nationale")
    PARTNER = "partner", _("Partenaire (organisme de formation, autre partenaire)")


# Which roles a member of each kind of organisation may hold.
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.CNML: (Role.NATIONAL,),
    OrganisationKind.AFRC: (Role.NATIONAL,),
    OrganisationKind.MISSION_LOCALE: (Role.ADVISOR, Role.ML_MANAGER),
    OrganisationKind.BUSINESS_NETWORK: (Role.PROJECT_LEAD,),
    OrganisationKind.COMPANY: (Role.RECRUITER,),
    OrganisationKind.TRAINING_BODY: (Role.PARTNER,),
    OrganisationKind.OTHER_PARTNER: (Role.PARTNER,),
}

# Kinds of organisation a project lead invites members into, in their region.
LEAD_INVITES_KINDS = (
    OrganisationKind.COMPANY,
    OrganisationKind.TRAINING_BODY,
    OrganisationKind.OTHER_PARTNER,
)

# Roles whose accounts must use two-factor authentication.
ROLES_REQUIRING_MFA = (Role.PROJECT_LEAD, Role.NATIONAL)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    EXPIRED = "expired", _("Expirée")
    REVOKED = "revoked", _("Annulée")


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    APPROVED = "approved", _("Approuvée")
    REJECTED = "rejected", _("Refusée")


class EmailStatus(models.TextChoices):
    """Where one outgoing email stands (`OutgoingEmail`)."""

    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("En échec")
    SKIPPED = "skipped", _("Sans objet")
