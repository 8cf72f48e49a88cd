"""Paths of the pages named by one argument (a cable's, a tag's), from each route worked
out once: ``reverse`` resolves the pattern on each call (~35 us), and a list page links 50
cables and their tags, a cable page some 20 cables."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


class CableIdConverter:
    """A cable's reference id in a URL, e.g. ``06ALMATY2803`` (letters, digits, ``-`` and
    ``_``). Any case is accepted here; the view redirects a lower-case id to its canonical
    form."""

    regex = r"[0-9A-Za-z][0-9A-Za-z_-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


CABLE_ID = re.compile(CableIdConverter.regex)

_PLACEHOLDER = "0PLACEHOLDER"
# What ``reverse`` leaves unquoted in a path (django.urls.resolvers).
_PATH_SAFE = "!$&'()*+,;=" + "/~:@"


@lru_cache(maxsize=16)
def _route(name: str, script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    """The path of ``name`` before and after its argument, under ``script_prefix`` (and the
    request's own ``urlconf``, if it has one)."""
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return before, after


def _path(name: str, argument: str) -> str:
    before, after = _route(name, get_script_prefix(), get_urlconf())
    return f"{before}{quote(argument, safe=_PATH_SAFE)}{after}"


def _checked_path(name: str, argument: str, valid: bool) -> str:
    if not valid:
        return reverse(name, args=[argument])  # raises NoReverseMatch, as it always did
    return _path(name, argument)


def cable_path(reference_id: str, name: str = "cables:detail") -> str:
    """``reverse("cables:detail", args=[reference_id])`` (or ``cables:detail_json``)."""
    return _checked_path(name, reference_id, bool(CABLE_ID.fullmatch(reference_id)))


def tag_path(code: str, name: str = "cables:tag") -> str:
    """``reverse("cables:tag", args=[code])`` (or ``cables:tag_json``)."""
    return _checked_path(name, code, bool(code))


SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's ``slug`` converter


def person_path(slug: str, name: str = "cables:person") -> str:
    """``reverse("cables:person", args=[slug])`` (or ``cables:person_json``)."""
    return _checked_path(name, slug, bool(SLUG.fullmatch(slug)))


@lru_cache(maxsize=64)
def _route_alone(name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(name)


def route_path(name: str) -> str:
    """``reverse(name)`` of a route without arguments (``cables:list``), worked out once:
    every page's navigation links a dozen of them."""
    return _route_alone(name, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget_routes(*, setting: str, **kwargs) -> None:
    """Routes worked out under another URLconf are not this one's (tests that change it)."""
    if setting == "ROOT_URLCONF":
        _route.cache_clear()
        _route_alone.cache_clear()


def tagged_list_path(list_path: str, code: str) -> str:
    """The list at ``list_path`` (``/cables/``) narrowed to the tag ``code``."""
    return f"{list_path}?tag={quote(code, safe='')}"
