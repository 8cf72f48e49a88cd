import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from cables.search import engine
from cables.search.postgres import PHRASE_COUNTS_MIN_PARAGRAPHS, WORD_COUNTS_MIN_PARAGRAPHS


class Command(BaseCommand):
    help = (
        "Count what a search for each of the archive's frequent words and two-word phrases "
        "counts (its paragraphs with hits, its subjects' ranks) and keep it for this version "
        "of the archive, so that a first search for one reads the counts instead of making "
        "them. import_cables runs this at its end; what is kept already is not counted "
        "again. PostgreSQL only (nothing to do on SQLite)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-paragraphs",
            type=int,
            default=None,
            help="Keep the words of at least this many paragraphs "
            f"(default: {WORD_COUNTS_MIN_PARAGRAPHS:,}).",
        )
        parser.add_argument(
            "--min-phrase-paragraphs",
            type=int,
            default=None,
            help="Keep the two-word phrases of at least this many paragraphs "
            f"(default: {PHRASE_COUNTS_MIN_PARAGRAPHS:,}).",
        )

    def handle(
        self,
        *args,
        min_paragraphs: int | None,
        min_phrase_paragraphs: int | None,
        verbosity: int,
        **options,
    ):
        started = time.monotonic()
        bar = tqdm(unit=" words", disable=verbosity < 1 or not sys.stderr.isatty())

        def on_word(tsquery: str, paragraphs: int) -> None:
            bar.update(1)
            bar.set_postfix_str(f"{tsquery}: {paragraphs:,} paragraphs", refresh=False)

        try:
            counted = engine().keep_word_counts(min_paragraphs, on_word, min_phrase_paragraphs)
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Kept the counts of {counted} frequent words and phrases. ({elapsed:.1f} s)"
        )
