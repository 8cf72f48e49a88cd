import sys

from django.core.management.base import BaseCommand, CommandError

from cables.importer import import_paths


class Command(BaseCommand):
    help = (
        "Import cables from files and folders (recursively). Each file's format is detected "
        "from its content. Re-importing a file changes nothing; a file that can't be read is "
        "reported and skipped, and the command exits non-zero at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")

    def handle(self, *args, paths: list[str], verbosity: int, **options):
        def on_failure(where: str, reason: str) -> None:
            self.stderr.write(f"FAILED {where}: {reason}")

        def on_file(path) -> None:
            if verbosity >= 2:
                self.stdout.write(f"reading {path}")

        if verbosity >= 1 and sys.stderr.isatty():
            self.stdout.write(f"Importing from {', '.join(paths)} ...")
        report = import_paths(paths, on_failure=on_failure, on_file=on_file)
        self.stdout.write(f"Imported: {report.summary()}.")
        if report.failed:
            raise CommandError(f"{report.failed} file(s) or record(s) could not be imported.")
