import os
import sys
import time

import psycopg
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from cables.importer import Failure, import_paths
from cables.readers import input_size

# Without a terminal, a plain progress line every this many cables.
PROGRESS_EVERY = 1000


def progress(read: int, total: int, started: float) -> str:
    """', 42% of 1,640.2 MB, about 3 min left' once some of it is read; else ''."""
    if not total or not read:
        return ""
    share = min(read / total, 1.0)
    elapsed = time.monotonic() - started
    left = elapsed * (1 - share) / share
    minutes = f"{left / 60:.0f} min" if left >= 90 else f"{left:.0f} s"
    return f", {share:.0%} of {total / 1e6:,.1f} MB, about {minutes} left"


class Command(BaseCommand):
    help = (
        "Import cables from files and folders (recursively), archives (.tar, .tar.gz, .tar.xz, "
        ".zip) included. Each file's format is detected from its content. Re-importing changes "
        "nothing; a file or record that can't be read is reported with the reason and skipped, "
        "and the command exits non-zero at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, folders or archives to import.")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that parse cables (default: one per core).",
        )

    def handle(self, *args, paths: list[str], workers: int, verbosity: int, **options):
        started = time.monotonic()
        # Progress is measured in bytes of input (the number of cables in a stream is
        # unknown until it ends): it gives the time left; the cables are counted beside it.
        total = input_size(paths)
        bar = tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            disable=verbosity < 1 or not sys.stderr.isatty(),
        )
        done = 0
        read = 0

        def on_bytes(position: int) -> None:
            nonlocal read
            if position > read:
                bar.update(position - read)
                read = position

        def on_record(outcome: str, record, parsed) -> None:
            nonlocal done
            done += 1
            rate = done / max(time.monotonic() - started, 1e-9)
            if not bar.disable:
                bar.set_postfix_str(f"{done} cables, {rate:.0f}/s", refresh=False)
            elif verbosity >= 1 and done % PROGRESS_EVERY == 0:
                self.stdout.write(
                    f"{done} cables read ({rate:.0f}/s){progress(read, total, started)}"
                )

        def on_failure(failure: Failure) -> None:
            message = f"FAILED {failure.where}: {failure.reason}"
            if bar.disable:
                self.stderr.write(message)
            else:
                bar.write(message, file=sys.stderr)

        try:
            report = import_paths(
                paths,
                on_failure=on_failure,
                on_record=on_record,
                workers=max(1, workers),
                on_bytes=on_bytes,
            )
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Imported: {report.summary()}. ({elapsed:.1f} s)")
        # The frequent words' counts for this version of the archive (when it changed: a
        # few minutes at full size; else they are kept already: a few seconds of samples).
        # Only a speed-up: the import stands without them.
        try:
            call_command("keep_word_counts", verbosity=verbosity, stdout=self.stdout)
        except (DatabaseError, psycopg.Error) as error:  # (psycopg's: its own cursors)
            self.stderr.write(
                f"The frequent words' counts were not kept ({error}): searches count them "
                "as they go. Run keep_word_counts to try again."
            )
        if report.failed:
            raise CommandError(f"{report.failed} file(s) or record(s) could not be imported.")
