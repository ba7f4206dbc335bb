from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):
    """Commitment and plan item logs take the shape every transition log shares
    (accounts.workflow): the commitment's comment becomes its `reason`."""

    dependencies = [("committees", "0005_delete_action_item_log")]

    operations = [
        migrations.RenameField("commitmentlog", "note", "reason"),
        migrations.AlterModelOptions(
            name='commitmentlog',
            options={'ordering': ['-created_at', '-pk'], 'verbose_name': "historique d'un engagement", 'verbose_name_plural': 'historiques des engagements'},
        ),
        migrations.AlterModelOptions(
            name='planitemlog',
            options={'ordering': ['created_at', 'pk'], 'verbose_name': "historique d'une action du plan", 'verbose_name_plural': 'historiques des actions du plan'},
        ),
        migrations.AddField(
            model_name='commitmentlog',
            name='action',
            field=models.CharField(blank=True, default='', max_length=16, verbose_name='action'),
        ),
        migrations.AddField(
            model_name='planitemlog',
            name='action',
            field=models.CharField(blank=True, default='', max_length=16, verbose_name='action'),
        ),
        migrations.AddField(
            model_name='planitemlog',
            name='reason',
            field=models.TextField(blank=True, default='', verbose_name='motif'),
        ),
        migrations.AlterField(
            model_name='commitmentlog',
            name='actor',
            field=models.ForeignKey(blank=True, help_text="Vide quand le portail l'a fait seul (une tâche planifiée).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='commitmentlog',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='le'),
        ),
        migrations.AlterField(
            model_name='commitmentlog',
            name='reason',
            field=models.TextField(blank=True, default='', verbose_name='motif'),
        ),
        migrations.AlterField(
            model_name='planitemlog',
            name='actor',
            field=models.ForeignKey(blank=True, help_text="Vide quand le portail l'a fait seul (une tâche planifiée).", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='planitemlog',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='le'),
        ),
        migrations.AlterField(
            model_name='planitemlog',
            name='from_status',
            field=models.CharField(choices=[('planned', 'Prévue'), ('in_progress', 'En cours'), ('done', 'Réalisée'), ('dropped', 'Abandonnée')], max_length=16, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='planitemlog',
            name='to_status',
            field=models.CharField(choices=[('planned', 'Prévue'), ('in_progress', 'En cours'), ('done', 'Réalisée'), ('dropped', 'Abandonnée')], max_length=16, verbose_name='vers'),
        ),
    ]
