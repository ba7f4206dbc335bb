"""The words of the youths' names, one row per word of each youth's `search_name`,
kept by PostgreSQL itself: what the list's name search reads instead of the youths'
table (issue 18, the name search at 100,000 and 1,000,000 youths).

A search finds the youths in whose name every word searched begins a word ("lef" finds
"Lefèvre" and "Marie-Lefort", not "Malefant"). Through the youths' table, PostgreSQL
found the matches in the trigram index, then read each of them from the table to check
the match and get its name for the order: 1,038 table pages for the 1,967 "lefevre" of
a mission locale of 50,000. Here the index on (mission locale, word) holds the name,
the youth and the status: the matches are one range of the index, read without
touching the table (an index-only scan), sorted and counted there; the page then reads
its 25 youths by key.

Triggers on `candidates_youth` (candidates migration 0031) write the rows: every
writer is followed, whatever its path (the services, `bulk_create`, a queryset's
`update()`, an anonymisation, a cascade, raw SQL, `COPY`). PostgreSQL only: SQLite's
triggers cannot split a name into words (no `WITH` in a trigger, no table function to
split with), so the table stays empty there and the embedded default searches the
youths' table (`YouthQuerySet.search`), with the same rule."""

from __future__ import annotations

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

from ..enums import YouthStatus
from ..text import searched_words
from .youth import Youth, spaced_name


class WordsFrom(models.Lookup):
    """`word__words_from="lef"`: the words from "lef" up to the last one beginning with
    it, as the two bounds of a range (`word >= 'lef' AND word < 'lef' || U+10FFFF`, in
    code point order: the words' collation is "C" on PostgreSQL, and SQLite compares
    text byte by byte). `startswith` says the same as `LIKE 'lef%'`, which PostgreSQL
    turns into that range only when it plans for the word: a prepared statement's
    generic plan kept the whole mission locale's words, and checked the `LIKE` on each.
    The bounds are parameters, so the plan keeps them for any word. Every word of the
    range begins with the text searched; a word holding the text searched then
    U+10FFFF (a Unicode noncharacter, in no name) and more would fall outside it."""

    lookup_name = "words_from"
    prepare_rhs = False

    def _bounds(self, compiler, connection, gte: str, lt: str, last: str):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"({lhs} {gte} %s AND {lhs} {lt} (%s || {last}))"
        return sql, (*lhs_params, self.rhs, *lhs_params, self.rhs)

    def as_sql(self, compiler, connection):
        return self._bounds(compiler, connection, ">=", "<", "char(1114111)")

    def as_postgresql(self, compiler, connection):
        return self._bounds(compiler, connection, ">=", "<", "chr(1114111)")


class SortsBelow(models.Lookup):
    """`word_before__sorts_below="lef"`: the text sorts before "lef" in code point order
    (`<`: the column's collation is "C" on PostgreSQL, and SQLite compares text byte by
    byte)."""

    lookup_name = "sorts_below"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} < %s", (*lhs_params, self.rhs)


class YouthNameWordQuerySet(models.QuerySet):
    def in_mission_locales(self, mission_locale_ids) -> YouthNameWordQuerySet:
        """The words of the youths of these missions locales (ids as the column's type,
        as `YouthQuerySet.visible_in` writes them)."""
        return self.filter(mission_locale_id__in=sorted(mission_locale_ids))

    def with_status(self, status: str) -> YouthNameWordQuerySet:
        """The list's "Suivi" filter on the words: running files (""), closed ones, or
        every file ("all": an anonymised file has no name left, so no word)."""
        if status == "":
            return self.filter(status=YouthStatus.ACTIVE)
        if status == YouthStatus.CLOSED:
            return self.filter(status=YouthStatus.CLOSED)
        return self.exclude(status=YouthStatus.ANONYMISED)

    def matching(self, text: str) -> YouthNameWordQuerySet:
        """One row per youth in whose name every word of `text` begins a word (the rule
        of `YouthQuerySet.search`); none for a text without words.

        The longest word is read as a range of the index (`word__words_from`). A youth
        has a row for each distinct word of its name, so two of them may begin with it
        ("le" in "lemaire leroy"). Those words follow one another in code point order:
        the row kept is the first of them, the one whose word before in the name does
        not begin with the word searched, so sorts below it (`word_before`, a column
        the index holds). The other words searched are checked on the name the index
        holds."""
        words = searched_words(text)
        if not words:
            return self.none()
        first, *others = words
        rows = self.filter(word__words_from=first, word_before__sorts_below=first)
        if others:
            rows = rows.alias(spaced_search_name=spaced_name("search_name"))
        for word in others:
            rows = rows.filter(spaced_search_name__contains=f" {word}")
        return rows


class YouthNameWord(PortalModel):
    """One word of a youth's name (`Youth.search_name`), with what the list's search
    reads of the youth: its mission locale, its status and its whole name (the order).
    Written by the database's triggers only; the youth's file is the record (its
    changes are in the audit trail, its name in the subject's export)."""

    youth = models.ForeignKey(
        Youth,
        verbose_name=_("jeune"),
        # the triggers delete a youth's words with the youth
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the search's index leads with it
        related_name="+",
    )
    word = models.CharField(_("mot du nom"), max_length=210)
    # The word of the same name just before this one in code point order ("" for the
    # first): of a name's words beginning with the text searched, the one to keep
    # (`YouthNameWordQuerySet.matching`).
    word_before = models.CharField(
        _("mot du nom qui le précède"), max_length=210, blank=True, db_default=""
    )
    search_name = models.CharField(_("nom sans accents"), max_length=210)
    status = models.CharField(_("état du suivi"), max_length=16, choices=YouthStatus.choices)

    objects = YouthNameWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("mot du nom d'un jeune")
        verbose_name_plural = _("mots des noms des jeunes")
        indexes = [
            # A search's range (`word__words_from`) within the scope's missions
            # locales, and everything the list reads of a match: an index-only scan.
            # The name and the youth are keys, after the word: one word's entries come
            # in the list's order (`views.youths._name_word_keys`). The words compare
            # in code point order on PostgreSQL (candidates migration 0034: their
            # collation is "C"), the order of the range's bounds.
            models.Index(
                fields=["mission_locale", "word", "search_name", "youth"],
                include=["status", "word_before"],
                name="youth_name_word_search",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth_id} · {self.word}"


YouthNameWord._meta.get_field("word").register_lookup(WordsFrom)
YouthNameWord._meta.get_field("word_before").register_lookup(SortsBelow)


def rebuild_name_words() -> None:
    """Write the names' words again from the youths' table (PostgreSQL): for a writer
    that ran with the triggers off (the benchmark's loader) or a repair. The writers of
    youths wait meanwhile (a share lock), so that no youth is missed nor written twice.
    Nothing to do on SQLite, where the table stays empty."""
    if connection.vendor != "postgresql":
        return
    words, youths = YouthNameWord._meta.db_table, Youth._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {youths} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {words}")  # noqa: S608
        cursor.execute(
            f"""INSERT INTO {words}
                    (youth_id, mission_locale_id, word, word_before, search_name, status)
                SELECT youth.id, youth.mission_locale_id, words.word, words.word_before,
                    youth.search_name, youth.status
                FROM {youths} AS youth
                CROSS JOIN LATERAL (
                    SELECT name_word AS word,
                        lag(name_word, 1, '') OVER (ORDER BY name_word COLLATE "C")
                            AS word_before
                    FROM (
                        SELECT DISTINCT unnest(string_to_array(youth.search_name, ' '))
                            AS name_word
                    ) AS distinct_words
                    WHERE name_word <> ''
                ) AS words"""  # noqa: S608
        )
