"""The cable parser: text in, dataclasses out. Pure Python, no Django."""

from .model import Hints, Paragraph, ParsedCable, ParseError, Recipient, Reference
from .people import PersonMention, extract_people, person_key, same_person
from .telegram import parse_cable, parse_each, parse_or_error

__all__ = [
    "Hints",
    "Paragraph",
    "ParseError",
    "ParsedCable",
    "PersonMention",
    "Recipient",
    "Reference",
    "extract_people",
    "parse_cable",
    "parse_each",
    "parse_or_error",
    "person_key",
    "same_person",
]
