"""Each name's word knows the word of the same name just before it in code point order
(`word_before`, "" for the first), and the search's index holds it.

A search for "le" reads the range of words beginning with "le"; a youth named
"Lemaire-Leroy" has two of them, and must be listed and counted once. 0031's search
checked, for every row of the range, whether the word stood twice in the name, then
which word came first (`LIKE '%le%le%'`, then a substring): 1 ms of the 4–5 ms of the
7,672 "lefevre" of a mission locale of 200,000. The words of a name beginning with "le"
follow one another in code point order, so exactly one of them has a word before it that
does not begin with "le": the first. The search keeps the rows whose `word_before` sorts
below the word searched (`word_before ~<~ 'le'`), one comparison of a column the index
holds.

PostgreSQL: the triggers' function of 0031 writes the new column, and the words already
there are written again (the youths' writers wait meanwhile). SQLite: the column only;
the table stays empty there."""

from django.db import migrations, models

WORDS = """
    INSERT INTO candidates_youthnameword
        (youth_id, mission_locale_id, word, word_before, search_name, status)
    SELECT youth.id, youth.mission_locale_id, words.word, words.word_before,
        youth.search_name, youth.status
    FROM {source} AS youth
    CROSS JOIN LATERAL (
        SELECT name_word AS word,
            lag(name_word, 1, '') OVER (ORDER BY name_word COLLATE "C") AS word_before
        FROM (
            SELECT DISTINCT unnest(string_to_array(youth.search_name, ' ')) AS name_word
        ) AS distinct_words
        WHERE name_word <> ''
    ) AS words
"""

FORMER_WORDS = """
    INSERT INTO candidates_youthnameword
        (youth_id, mission_locale_id, word, search_name, status)
    SELECT youth.id, youth.mission_locale_id, words.word, youth.search_name, youth.status
    FROM {source} AS youth
    CROSS JOIN LATERAL (
        SELECT DISTINCT unnest(string_to_array(youth.search_name, ' ')) AS word
    ) AS words
    WHERE words.word <> ''
"""

FUNCTION = """
CREATE OR REPLACE FUNCTION candidates_youth_name_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {insert};
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
        {moved};
    END IF;
    RETURN NULL;
END
$$;
"""


def _function(words: str) -> str:
    return FUNCTION.format(
        insert=words.format(source="youth_new"), moved=words.format(source="moved")
    )


def _write_words(schema_editor, words: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(_function(words))
    schema_editor.execute("LOCK TABLE candidates_youth IN SHARE MODE")
    schema_editor.execute("DELETE FROM candidates_youthnameword")
    schema_editor.execute(words.format(source="candidates_youth"))


def write_words_before(apps, schema_editor):
    _write_words(schema_editor, WORDS)


def write_words_without(apps, schema_editor):
    _write_words(schema_editor, FORMER_WORDS)


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0031_youth_name_words"),
    ]

    operations = [
        # The index goes first: the words are written again without it, then indexed once.
        migrations.RemoveIndex(
            model_name="youthnameword",
            name="youth_name_word_search",
        ),
        migrations.AddField(
            model_name="youthnameword",
            name="word_before",
            field=models.CharField(
                blank=True,
                db_default="",
                max_length=210,
                verbose_name="mot du nom qui le précède",
            ),
        ),
        migrations.RunPython(write_words_before, write_words_without, elidable=False),
        migrations.AddIndex(
            model_name="youthnameword",
            index=models.Index(
                fields=["mission_locale", "word"],
                include=("status", "search_name", "youth", "word_before"),
                name="youth_name_word_search",
                opclasses=["int8_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
