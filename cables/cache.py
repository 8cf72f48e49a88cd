"""Whole pages cached until the next import changes the archive.

A cable's page shows more than the cable: the cables citing it, its thread, similar cables,
the previous and next from its origin, the people it names. Any import may change any of
those, and nothing else does (the public pages only read). So a page is cached under the
archive's version (``ArchiveState``, raised by every import that stores or changes a cable)
and its full path with the query string: once an import has run, no page cached before it
is served again. The cache is Django's (``CACHES``: files shared by the worker
processes), on when ``settings.ARCHIVE_PAGE_CACHE`` is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .models import ArchiveState

# The response headers a cached page keeps (the others are the middleware's, per request).
KEPT_HEADERS = ("Content-Type",)


def page_key(request: HttpRequest, version: int) -> str:
    path = request.get_full_path().encode()
    return f"archive-page:{version}:{hashlib.sha256(path).hexdigest()}"


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s successful GET answers from the cache while the archive is as it was
    (``X-Archive-Cache: hit`` or ``miss`` says which)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.ARCHIVE_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = page_key(request, ArchiveState.current())
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Archive-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            cache.set(key, (response.content, headers), settings.ARCHIVE_PAGE_CACHE_SECONDS)
            response["X-Archive-Cache"] = "miss"
        return response

    return wrapper
