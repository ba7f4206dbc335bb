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


class NoticePurpose(models.TextChoices):
    """The purposes of the portal's processing of personal data, each with its own
    information notice (*mention d'information*, GDPR Art. 13-14), in this order on the
    notices' page. The record of processing (docs/rgpd.md) has one entry per purpose."""

    YOUTH_PATHWAY = "youth_pathway", _("Accompagnement des jeunes dans leur parcours")
    PROFILE_SHARING = "profile_sharing", _("Partage du profil des jeunes avec les entreprises")
    IMMERSION = (
        "immersion",
        _("Plateforme d'immersion, bourse de candidats et événements"),
    )
    MENTORING = "mentoring", _("Parrainage : parrains et marraines bénévoles")
    PORTAL_ACCOUNTS = "portal_accounts", _("Comptes des utilisateurs du portail")


#: Each notice's address on the public notices' page (/mentions-information/<slug>/).
NOTICE_SLUGS: dict[str, str] = {
    NoticePurpose.YOUTH_PATHWAY: "accompagnement",
    NoticePurpose.PROFILE_SHARING: "partage-du-profil",
    NoticePurpose.IMMERSION: "immersion",
    NoticePurpose.MENTORING: "parrainage",
    NoticePurpose.PORTAL_ACCOUNTS: "comptes",
}

#: Notices of a purpose resting on consent: their printed page ends with a slip to sign.
CONSENT_BASED_NOTICES = (NoticePurpose.PROFILE_SHARING,)
#: Notices whose controller is the mission locale: their printed page has a box for its
#: contact details and its data protection officer's, filled in when handed over.
MISSION_LOCALE_NOTICES = (
    NoticePurpose.YOUTH_PATHWAY,
    NoticePurpose.PROFILE_SHARING,
    NoticePurpose.IMMERSION,
    NoticePurpose.MENTORING,
)
