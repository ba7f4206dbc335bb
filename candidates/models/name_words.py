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
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, StrIndex, Substr
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

from ..enums import YouthStatus
from ..text import searched_words
from .youth import Youth, spaced_name


class StandsTwice(models.Func):
    """Whether `word` stands at least twice in the text `expression` (`LIKE
    '%word%word%'`, the word's own `%`, `_` and `\\` escaped): a name where it stands
    once has no two words beginning with it, which is cheaper to know than which of
    its words is the first to."""

    output_field = models.BooleanField()

    def __init__(self, expression, word: str):
        super().__init__(expression)
        self.word = word

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        word = connection.ops.prep_for_like_query(self.word)
        escape = " ESCAPE '\\'" if connection.vendor == "sqlite" else ""
        return f"({sql} LIKE %s{escape})", (*params, f"%{word}%{word}%")


class WordsFrom(models.Lookup):
    """`word__words_from="lef"`: the words from "lef" up to the last one beginning with
    it, as the two bounds of a range (`word ~>=~ 'lef' AND word ~<~ 'lef' || U+10FFFF`
    on PostgreSQL, the pattern operators its index is built with). `startswith` says
    the same as `LIKE 'lef%'`, which PostgreSQL turns into that range only when it plans
    for the word: a prepared statement's generic plan kept the whole mission locale's
    words. The bounds are parameters, so the plan keeps them for any word; the `LIKE`
    stays beside them, the rule. A word holding the text searched then U+10FFFF (a
    Unicode noncharacter, in no name) and more would fall outside the range."""

    lookup_name = "words_from"
    prepare_rhs = False

    def _bounds(self, compiler, connection, gte: str, lt: str, last: str):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"({lhs} {gte} %s AND {lhs} {lt} (%s || {last}))"
        return sql, (*lhs_params, self.rhs, *lhs_params, self.rhs)

    def as_sql(self, compiler, connection):
        return self._bounds(compiler, connection, ">=", "<", "char(1114111)")

    def as_postgresql(self, compiler, connection):
        return self._bounds(compiler, connection, "~>=~", "~<~", "chr(1114111)")


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

        The longest word is read as a range of the index (`word__words_from`, beside
        `LIKE 'lef%'`, the rule). A youth
        has a row for each distinct word of its name, so two of them may begin with it
        ("le" in "lefevre leo"): the row kept is the name's first such word, the one
        before which no word of the name begins with it (checked only for a name where
        the word stands twice: 1.4 ms for the 7,672 "lefevre" of a mission locale of
        200,000, 0.45 ms with the check). The other words searched are
        checked on the name the index holds."""
        words = searched_words(text)
        if not words:
            return self.none()
        first, *others = words
        spaced = spaced_name("search_name")
        # Where this row's word first stands in the name, as a whole word.
        at = StrIndex(
            Concat(spaced, Value(" ")),
            Concat(Value(" "), F("word"), Value(" "), output_field=models.CharField()),
        )
        rows = self.filter(word__words_from=first, word__startswith=first).alias(
            words_before=Substr(spaced, 1, at - 1, output_field=models.CharField()),
            spaced_search_name=spaced,
        )
        rows = rows.filter(
            ~Q(StandsTwice(F("search_name"), first)) | ~Q(words_before__contains=f" {first}")
        )
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
    search_name = models.CharField(_("nom sans accents"), max_length=210)
    status = models.CharField(_("état du suivi"), max_length=16, choices=YouthStatus.choices)

    objects = YouthNameWordQuerySet.as_manager()

    class Meta:
        verbose_name = _("mot du nom d'un jeune")
        verbose_name_plural = _("mots des noms des jeunes")
        indexes = [
            # A search's range (`word__words_from`: the pattern operators on
            # PostgreSQL, hence their operator class) within the scope's missions
            # locales, and everything the list reads of a match: an index-only scan.
            models.Index(
                fields=["mission_locale", "word"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                include=["status", "search_name", "youth"],
                name="youth_name_word_search",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth_id} · {self.word}"


YouthNameWord._meta.get_field("word").register_lookup(WordsFrom)


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
            f"""INSERT INTO {words} (youth_id, mission_locale_id, word, search_name, status)
                SELECT youth.id, youth.mission_locale_id, words.word, youth.search_name,
                    youth.status
                FROM {youths} AS youth
                CROSS JOIN LATERAL (
                    SELECT DISTINCT unnest(string_to_array(youth.search_name, ' ')) AS word
                ) AS words
                WHERE words.word <> ''"""  # noqa: S608
        )
