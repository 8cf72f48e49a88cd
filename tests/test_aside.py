"""Facet counts set aside: run in worker threads on connections of their own (PostgreSQL,
outside a transaction), and the same counts as when the request counts them itself."""

import json
import threading

import pytest
from django.db import connection

from cables import aside
from cables.search import index_cable


def test_work_is_set_aside_in_a_worker_thread_on_postgresql_and_done_at_once_on_sqlite(
    transactional_db,
):
    ran_in = aside.aside(threading.get_ident).result(timeout=30)
    if connection.vendor == "postgresql":
        assert ran_in != threading.get_ident()
    else:
        assert ran_in == threading.get_ident()


def test_inside_a_transaction_nothing_is_set_aside(db):
    # Another connection would not see this transaction's rows.
    assert connection.in_atomic_block
    assert aside.aside(threading.get_ident).result() == threading.get_ident()


def test_with_no_threads_configured_nothing_is_set_aside(transactional_db, settings):
    settings.CABLES_QUERY_THREADS = 0
    assert aside.aside(threading.get_ident).result() == threading.get_ident()


def test_an_error_in_work_set_aside_is_raised_where_the_result_is_read(transactional_db):
    def fails():
        raise ValueError("no such facet")

    future = aside.aside(fails)
    with pytest.raises(ValueError, match="no such facet"):
        future.result(timeout=30)


def test_worker_threads_read_the_same_database_and_their_connections_can_be_closed(
    transactional_db, make_cable
):
    make_cable("06ALMATY100", "2006-08-05 01:16", tags=["KZ"])
    from cables.models import Cable

    assert aside.aside(Cable.objects.count).result(timeout=30) == 1
    aside.close_connections()
    # Opened again when next needed.
    assert aside.aside(Cable.objects.count).result(timeout=30) == 1


@pytest.mark.parametrize(
    "params",
    [
        "q=ambassador",
        "q=ambassador&tag=KZ",
        "year=2006&tag=KZ",
        "year=2006&month=8&classification=SECRET",
        "q=meets&year=2006&month=3&month=8",
        "tag=PREL&exclude_origin=Embassy+Astana",
    ],
)
def test_a_list_page_counts_the_same_facets_and_finds_the_same_results_aside_as_in_the_request(
    transactional_db, make_cable, client, settings, params
):
    for reference_id, created, tags, classification, origin in [
        ("06ALMATY100", "2006-08-05 01:16", ["KZ", "PREL"], "CONFIDENTIAL", "US Office Almaty"),
        ("06ALMATY200", "2006-03-10 09:00", ["KZ"], "SECRET", "US Office Almaty"),
        ("05ASTANA300", "2005-11-01 12:00", ["KZ", "PGOV"], "UNCLASSIFIED", "Embassy Astana"),
        ("06ASTANA400", "2006-08-20 08:00", ["PREL"], "SECRET", "Embassy Astana"),
    ]:
        cable = make_cable(
            reference_id,
            created,
            tags=tags,
            classification=classification,
            origin=origin,
            subject="AMBASSADOR MEETS PRESIDENT",
            paragraphs=[f"The ambassador met {origin} staff."],
        )
        index_cable(cable.pk)
    settings.CABLES_QUERY_THREADS = 0
    in_request = json.loads(client.get(f"/cables.json?{params}").content)
    settings.CABLES_QUERY_THREADS = 2
    set_aside = json.loads(client.get(f"/cables.json?{params}").content)
    assert set_aside["facets"] == in_request["facets"]
    assert set_aside["count"] == in_request["count"] > 0
    # The rest too: the order by relevance (subjects ranked aside), the snippets (made
    # aside while the page's cables are read).
    assert set_aside == in_request
    if "q=ambassador" in params:  # (in every cable's paragraph)
        assert all(result["snippets"] for result in set_aside["results"])
