"""The words of the youths' names (`YouthNameWord`), written by triggers on the youths'
table so that every writer is followed (services, bulk writes, anonymisation, cascades,
raw SQL, COPY), and filled from the youths already there.

PostgreSQL: statement-level triggers reading the transition tables, as the youths'
counts (0020): one INSERT of every word of the rows a statement adds, and for an update
only the rows whose name, mission locale or status changed. SQLite: no trigger (a
trigger there cannot split a name: no `WITH`, no table function to split with); the
table stays empty and the embedded default searches the youths' table."""

import django.db.models.deletion
from django.db import migrations, models


WORDS = """
    INSERT INTO candidates_youthnameword
        (youth_id, mission_locale_id, word, search_name, status)
    SELECT youth.id, youth.mission_locale_id, words.word, youth.search_name, youth.status
    FROM {source} AS youth
    CROSS JOIN LATERAL (
        SELECT DISTINCT unnest(string_to_array(youth.search_name, ' ')) AS word
    ) AS words
    WHERE words.word <> ''
"""

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION candidates_youth_name_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {WORDS.format(source="youth_new")};
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM candidates_youthnameword AS word USING youth_old
        WHERE word.youth_id = youth_old.id;
    ELSE
        WITH moved AS (
            SELECT youth_new.* FROM youth_new JOIN youth_old ON youth_old.id = youth_new.id
            WHERE (youth_new.search_name, youth_new.mission_locale_id, youth_new.status)
                IS DISTINCT FROM
                (youth_old.search_name, youth_old.mission_locale_id, youth_old.status)
        ), gone AS (
            DELETE FROM candidates_youthnameword AS word USING moved
            WHERE word.youth_id = moved.id
        )
        {WORDS.format(source="moved")};
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION candidates_youth_name_words_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM candidates_youthnameword;
    RETURN NULL;
END
$$;

CREATE TRIGGER candidates_youth_name_words_insert AFTER INSERT ON candidates_youth
    REFERENCING NEW TABLE AS youth_new
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_name_words();
CREATE TRIGGER candidates_youth_name_words_update AFTER UPDATE ON candidates_youth
    REFERENCING OLD TABLE AS youth_old NEW TABLE AS youth_new
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_name_words();
CREATE TRIGGER candidates_youth_name_words_delete AFTER DELETE ON candidates_youth
    REFERENCING OLD TABLE AS youth_old
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_name_words();
CREATE TRIGGER candidates_youth_name_words_truncate AFTER TRUNCATE ON candidates_youth
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_name_words_truncated();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS candidates_youth_name_words_insert ON candidates_youth;
DROP TRIGGER IF EXISTS candidates_youth_name_words_update ON candidates_youth;
DROP TRIGGER IF EXISTS candidates_youth_name_words_delete ON candidates_youth;
DROP TRIGGER IF EXISTS candidates_youth_name_words_truncate ON candidates_youth;
DROP FUNCTION IF EXISTS candidates_youth_name_words();
DROP FUNCTION IF EXISTS candidates_youth_name_words_truncated();
"""


def install_triggers(apps, schema_editor):
    """The triggers, then the words of the youths already there (their writers wait
    meanwhile: no youth is missed nor written twice)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(POSTGRESQL)
    schema_editor.execute("LOCK TABLE candidates_youth IN SHARE MODE")
    schema_editor.execute("DELETE FROM candidates_youthnameword")
    schema_editor.execute(WORDS.format(source="candidates_youth"))


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_information_notice'),
        ('candidates', '0030_youth_ml_name_trigram'),
    ]

    operations = [
        migrations.CreateModel(
            name='YouthNameWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=210, verbose_name='mot du nom')),
                ('search_name', models.CharField(max_length=210, verbose_name='nom sans accents')),
                ('status', models.CharField(choices=[('active', 'Suivi en cours'), ('closed', 'Suivi clos'), ('anonymised', 'Anonymisé')], max_length=16, verbose_name='état du suivi')),
                ('mission_locale', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='mission locale')),
                ('youth', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='candidates.youth', verbose_name='jeune')),
            ],
            options={
                'verbose_name': "mot du nom d'un jeune",
                'verbose_name_plural': 'mots des noms des jeunes',
                'indexes': [models.Index(fields=['mission_locale', 'word'], include=('status', 'search_name', 'youth'), name='youth_name_word_search', opclasses=['int8_ops', 'varchar_pattern_ops'])],
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers, elidable=False),
    ]
