"""The cable parser: text in, dataclasses out. Pure Python, no Django."""

from .model import Hints, Paragraph, ParsedCable, ParseError, Recipient, Reference
from .telegram import parse_cable, parse_or_error

__all__ = [
    "Hints",
    "Paragraph",
    "ParseError",
    "ParsedCable",
    "Recipient",
    "Reference",
    "parse_cable",
    "parse_or_error",
]
