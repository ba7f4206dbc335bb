"""One word's entries of the names' words in the list's order: the search's index has
the name and the youth as keys after the word (they were included columns), and the
words compare in code point order on PostgreSQL (collation "C").

A search for "lefevre" in a mission locale of 200,000 youths read the 7,672 entries of
its range and sorted them by name to keep the first 25 (3.4 of its 3.6 ms). When the
range holds one word (`views.youths._one_word_matches`), its entries come in name order
from the index and the page reads its 25. That order must be the range's own: the index
was built with the pattern operators (`varchar_pattern_ops`, code point order), which
an `ORDER BY word` in the database's collation cannot use; with the words' collation
"C", the default operators compare in code point order, for the range's bounds, for
`word_before` and for the order alike (`word__words_from`, `word_before__sorts_below`).

PostgreSQL: the index is built again, the writers of youths waiting meanwhile (the
words' triggers write it). The collation is PostgreSQL's alone (the model keeps none:
SQLite has no collation "C", and compares text byte by byte already); its table stays
empty there."""

from django.db import migrations, models

COLUMNS = ("word", "word_before")


def _collate(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE candidates_youthnameword "
        + ", ".join(
            f"ALTER COLUMN {column} TYPE varchar(210) COLLATE {collation}" for column in COLUMNS
        )
    )


def code_point_order(apps, schema_editor):
    _collate(schema_editor, '"C"')


def database_order(apps, schema_editor):
    _collate(schema_editor, '"default"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_information_notice"),
        ("candidates", "0033_youth_counts_status"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="youthnameword", name="youth_name_word_search"),
        migrations.RunPython(code_point_order, database_order),
        migrations.AddIndex(
            model_name="youthnameword",
            index=models.Index(
                fields=["mission_locale", "word", "search_name", "youth"],
                include=("status", "word_before"),
                name="youth_name_word_search",
            ),
        ),
    ]
