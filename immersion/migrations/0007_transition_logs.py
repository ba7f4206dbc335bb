from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    """Session logs take the shape every transition log shares (accounts.workflow)."""

    dependencies = [("immersion", "0006_delete_enrolment_log")]

    operations = [
        migrations.RenameField("sessionlog", "at", "created_at"),
        migrations.AlterModelOptions(
            name='sessionlog',
            options={'ordering': ['created_at', 'pk'], 'verbose_name': 'historique de session', 'verbose_name_plural': 'historiques de session'},
        ),
        migrations.AlterField(
            model_name='sessionlog',
            name='action',
            field=models.CharField(blank=True, default='', max_length=16, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='sessionlog',
            name='actor',
            field=models.ForeignKey(blank=True, help_text="Vide quand le portail l'a fait seul (une tâche planifiée).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='sessionlog',
            name='reason',
            field=models.TextField(blank=True, default='', verbose_name='motif'),
        ),
    ]
