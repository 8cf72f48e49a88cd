"""``manage.py export_cables [--output FILE]``: every cable as JSON Lines."""

from __future__ import annotations

import json
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from cables.models import Cable
from cables.serializers import cable_detail, detail_queryset


class Command(BaseCommand):
    help = (
        "Write every cable as JSON Lines: one JSON object per line, in the shape of "
        "/cables/<ID>.json, ordered by reference id. Writes to standard output, or to "
        "--output FILE. Cables are read in batches, so memory use stays flat."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (UTF-8) instead of standard output.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Cables read (and their relations prefetched) per batch (default 500).",
        )
        parser.add_argument(
            "--base-url",
            default="",
            metavar="URL",
            help="The site's address (https://cables.example.org): the paragraphs' citations "
            "then hold absolute URLs, as /cables/<ID>.json served there does. Without it they "
            "hold the site-relative URL.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(1, options["batch_size"])
        output = options.get("output")
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as stream:
                count = self.export(stream, batch_size, options["base_url"])
            self.stdout.write(self.style.SUCCESS(f"Exported {count} cable(s) to {output}."))
        else:
            self.export(self.stdout, batch_size, options["base_url"])

    def export(self, stream: TextIO, batch_size: int, base_url: str = "") -> int:
        cables = detail_queryset(Cable.objects.order_by("reference_id"))
        count = 0
        # iterator() with prefetch_related prefetches each chunk of ``batch_size`` cables.
        for cable in cables.iterator(chunk_size=batch_size):
            stream.write(
                json.dumps(cable_detail(cable, base_url.rstrip("/")), ensure_ascii=False) + "\n"
            )
            count += 1
        return count
