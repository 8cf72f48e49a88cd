import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cables.importer import Failure, import_paths

# Without a terminal, a plain progress line every this many cables.
PROGRESS_EVERY = 1000


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
        bar = tqdm(unit=" cables", disable=verbosity < 1 or not sys.stderr.isatty())
        done = 0

        def on_record(outcome: str, record, parsed) -> None:
            nonlocal done
            done += 1
            bar.update()
            if bar.disable and verbosity >= 1 and done % PROGRESS_EVERY == 0:
                rate = done / max(time.monotonic() - started, 1e-9)
                self.stdout.write(f"{done} cables read ({rate:.0f}/s)")

        def on_failure(failure: Failure) -> None:
            message = f"FAILED {failure.where}: {failure.reason}"
            if bar.disable:
                self.stderr.write(message)
            else:
                bar.write(message, file=sys.stderr)

        try:
            report = import_paths(
                paths, on_failure=on_failure, on_record=on_record, workers=max(1, workers)
            )
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Imported: {report.summary()}. ({elapsed:.1f} s)")
        if report.failed:
            raise CommandError(f"{report.failed} file(s) or record(s) could not be imported.")
