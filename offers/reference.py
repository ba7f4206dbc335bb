"""Reference data every install carries: the short list of customer-relations jobs the
recruiters pick from (editable in the admin afterwards). The migration
`0002_seed_job_roles` loaded the same list once, frozen as migrations are; this is the
list the code ensures, for a database emptied since (a restore, a test flush)."""

from __future__ import annotations

from .models import JobRole

JOB_ROLES = [
    ("Téléconseiller / téléconseillère", "téléphone, accueil, écoute, relation client, vente, standard", 10),
    ("Chargé(e) de clientèle", "relation client, clientèle, conseil, vente, réclamation, accueil", 20),
    ("Conseiller / conseillère de vente à distance", "vente, commerce, téléphone, négociation, caisse", 30),
    ("Chargé(e) d'assistance technique (hotline)", "informatique, dépannage, téléphone, technique, bureautique", 40),
    ("Chargé(e) de recouvrement", "recouvrement, comptabilité, négociation, téléphone", 50),
    ("Superviseur / superviseuse", "encadrement, animation, équipe, management, relation client", 60),
    ("Chargé(e) d'accueil", "accueil, standard, public, orientation, secrétariat", 70),
]  # fmt: skip


def ensure_job_roles() -> None:
    """Create the reference jobs that are missing; an admin's edits are kept."""
    for name, keywords, order in JOB_ROLES:
        JobRole.objects.get_or_create(name=name, defaults={"keywords": keywords, "order": order})
