"""Template filters for showing cable text."""

import re

from django import template

register = template.Library()

BLANK_LINES = re.compile(r"\n\s*\n")


@register.filter
def text_blocks(text: str) -> list[str]:
    """Split paragraph text into its blank-line-separated blocks, dropping empty ones.

    The blocks are plain strings: the template still escapes them (and ``linebreaksbr``
    escapes before adding ``<br>``), so no cable text is ever marked safe here.
    """
    if not text:
        return []
    return [block.strip("\n") for block in BLANK_LINES.split(str(text)) if block.strip()]
