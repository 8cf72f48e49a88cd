"""Whole pages cached until the next import changes the archive.

A cable's page shows more than the cable: the cables citing it, its thread, similar cables,
the previous and next from its origin, the people it names. Any import may change any of
those, and nothing else does (the public pages only read). So a page is cached under the
archive's version (``ArchiveState``, raised by every import that stores or changes a cable)
and its full path with the query string: once an import has run, no page cached before it
is served again; nor after a release of the site's code (``code_version``). The cache is Django's (``CACHES``: files shared by the worker
processes), on when ``settings.ARCHIVE_PAGE_CACHE`` is.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import zlib
from collections.abc import Callable
from functools import cache as cache_function
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest, HttpResponse

from .models import ArchiveState

logger = logging.getLogger(__name__)

# The response headers a cached page keeps (the others are the middleware's, per request).
KEPT_HEADERS = ("Content-Type",)


@cache_function
def code_version() -> str:
    """A fingerprint of the code and templates that make the pages: a new release of the
    site never serves a page the old one cached (the same in every worker process, so
    they share what they cache)."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(
        [
            *(root / "cables").rglob("*.py"),
            *(root / "cables" / "fixtures").glob("*"),
            *(root / "templates").rglob("*.html"),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class PageFileCache(FileBasedCache):
    """Django's cache in files, cheaper to write to: a page rendered for the first time was
    spending more on being kept than on its template.

    - Django's backend lists every file of the cache at each ``set`` to see whether it is
      full (``_cull``): 7.5 ms with 1,000 pages kept, 9 ms with 3,000, more as it fills.
      Here each cache object (Django makes one per thread) looks once in
      ``CULL_CHECK_EVERY`` sets (its first included): the cache may hold up to that many
      pages a worker thread beyond ``MAX_ENTRIES`` until the next look culls it, as
      Django's does (a third of the pages, at random).
    - Pages are compressed at zlib's fastest level (Django's: the default, 6); any level
      reads back the same."""

    CULL_CHECK_EVERY = 64

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._sets_since_cull_check = 0

    def _cull(self) -> None:
        if self._sets_since_cull_check % self.CULL_CHECK_EVERY == 0:
            super()._cull()
        self._sets_since_cull_check += 1

    def _write_content(self, file, timeout, value) -> None:
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))


def read(key: str) -> Any:
    """What the cache holds under ``key``, or None; a cache that cannot be read (a full or
    read-only disk) is logged and taken for empty: the page is made again, not refused."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - any backend's failure: serve without the cache
        logger.warning("page cache unreadable", exc_info=True)
        return None


def keep(key: str, value: Any) -> None:
    """Store ``value`` under ``key`` for ``ARCHIVE_PAGE_CACHE_SECONDS``; a failure is logged."""
    try:
        cache.set(key, value, settings.ARCHIVE_PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - as in ``read``
        logger.warning("page cache unwritable", exc_info=True)


def archive_key(kind: str, version: int, detail: str) -> str:
    """A cache key that goes stale when the archive (``version``) or the code changes."""
    return f"archive-{kind}:{code_version()}:{version}:{detail}"


def page_key(request: HttpRequest, version: int) -> str:
    """The key of a page: its scheme and host too, not only its path and query, as a page's
    absolute links (a paragraph's citation, the JSON's URLs, a feed's) name those it was
    asked under: a site served under two names never hands one's links to the other."""
    url = request.build_absolute_uri().encode()
    return archive_key("page", version, hashlib.sha256(url).hexdigest())


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s successful GET answers from the cache while the archive is as it was
    (``X-Archive-Cache: hit`` or ``miss`` says which)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.ARCHIVE_PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = page_key(request, ArchiveState.current())
        stored = read(key)
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
            keep(key, (response.content, headers))
            response["X-Archive-Cache"] = "miss"
        return response

    return wrapper
