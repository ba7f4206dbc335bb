"""The youth list's name order, covering: (mission locale, search_name, id) with the
status included, so that the list's capped count (up to 10,001 rows of the mission
locale, in name order, without the anonymised or closed files) is read from the index
alone, never from the table (issue 18, at 200,000 youths in a mission locale). It
replaces `youth_ml_name_order` (the same leading columns)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0013_youth_order_without_accents"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="youth",
            index=models.Index(
                fields=["mission_locale", "search_name", "id"],
                include=["status"],
                name="youth_ml_name_covering",
            ),
        ),
        migrations.RemoveIndex(model_name="youth", name="youth_ml_name_order"),
    ]
