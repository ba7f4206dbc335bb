"""The short list of customer-relations jobs offered to recruiters (editable in the
admin afterwards). Data only, apart from the schema; reversible."""

from django.db import migrations

JOB_ROLES = [
    ("Téléconseiller / téléconseillère", "téléphone, accueil, écoute, relation client, vente, standard", 10),
    ("Chargé(e) de clientèle", "relation client, clientèle, conseil, vente, réclamation, accueil", 20),
    ("Conseiller / conseillère de vente à distance", "vente, commerce, téléphone, négociation, caisse", 30),
    ("Chargé(e) d'assistance technique (hotline)", "informatique, dépannage, téléphone, technique, bureautique", 40),
    ("Chargé(e) de recouvrement", "recouvrement, comptabilité, négociation, téléphone", 50),
    ("Superviseur / superviseuse", "encadrement, animation, équipe, management, relation client", 60),
    ("Chargé(e) d'accueil", "accueil, standard, public, orientation, secrétariat", 70),
]


def add_roles(apps, schema_editor):
    JobRole = apps.get_model("offers", "JobRole")
    for name, keywords, order in JOB_ROLES:
        JobRole.objects.get_or_create(name=name, defaults={"keywords": keywords, "order": order})


def remove_roles(apps, schema_editor):
    JobRole = apps.get_model("offers", "JobRole")
    JobRole.objects.filter(name__in=[name for name, _k, _o in JOB_ROLES], offers__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(add_roles, remove_roles)]
