"""Queries run beside a request, each on a database connection of its own.

A search page for a common word counts its facets over thousands of cables (year, origin
and classification; tags; people: some 80 ms of PostgreSQL's time for ``government`` on the
shared corpus) after finding its cables, and then, independently, counts the paragraphs with
hits, reads the page and makes the snippets. PostgreSQL runs each connection's query in a
process of its own, so on two cores the facets can be counted while the request goes on:
``aside(fn)`` starts ``fn`` in one of a few worker threads and returns a ``Future``.

Only where that is safe and sound:

- PostgreSQL only (SQLite's embedded default serves one user; its tests' in-memory
  database is not shared between connections);
- not inside a transaction: another connection would not see what the request's own has
  written and not committed (a test's data, in most tests); the work is then done at once,
  in the request's thread, and the ``Future`` returned holds its result;
- ``settings.CABLES_QUERY_THREADS`` worker threads (0: never aside).

Each worker thread keeps its connection between tasks, as a request thread does
(``CONN_MAX_AGE``, health checks): opening one costs ~5 ms. ``close_connections()`` closes
them (a test session, before its database is dropped).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import connections

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
# The connections the worker threads opened (DatabaseWrapper objects, one per thread and
# database), so that ``close_connections`` can reach them from another thread.
_opened: list = []
_local = threading.local()


def can_run_aside(using: str = "default") -> bool:
    connection = connections[using]
    return (
        settings.CABLES_QUERY_THREADS > 0
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        # Work set aside by work set aside is done at once: waiting in a worker thread for
        # another worker could take every worker.
        and not getattr(_local, "in_worker", False)
    )


def aside[T](fn: Callable[[], T], using: str = "default") -> Future[T]:
    """``fn()`` started in a worker thread, on its own connection to ``using``; or run now,
    in this thread, where that would not be sound (see the module's docstring)."""
    if not can_run_aside(using):
        done: Future[T] = Future()
        try:
            done.set_result(fn())
        except Exception as error:  # noqa: BLE001 - raised again by .result()
            done.set_exception(error)
        return done
    return _executor().submit(_run, fn, using)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.CABLES_QUERY_THREADS, thread_name_prefix="cables-aside"
            )
        return _pool


def _run[T](fn: Callable[[], T], using: str) -> T:
    _local.in_worker = True
    connection = connections[using]
    opened = getattr(_local, "opened", set())
    if using not in opened:
        # Closed from the thread that calls close_connections(), when this one is idle.
        connection.inc_thread_sharing()
        with _lock:
            _opened.append(connection)
        _local.opened = opened | {using}
    # What Django does at the start and end of each request: a connection past its
    # CONN_MAX_AGE, or broken (the server restarted), is replaced.
    connection.close_if_unusable_or_obsolete()
    try:
        return fn()
    finally:
        connection.close_if_unusable_or_obsolete()


def close_connections() -> None:
    """Close the worker threads' connections (they open again when next needed)."""
    with _lock:
        for connection in _opened:
            connection.close()
