"""The admin: behind a login, read-only on imported data, no internal search columns shown;
an edit by hand makes cached pages stale."""

import json

import pytest

from cables.models import ArchiveState, Person

pytestmark = pytest.mark.django_db


def test_admin_asks_anonymous_visitors_to_log_in(client, imported_seeds):
    response = client.get("/admin/cables/cable/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_cable_change_page_shows_fields_but_not_search_vectors(admin_client, imported_seeds):
    from cables.models import Cable

    cable = Cable.objects.get(reference_id="06ALMATY2803")
    response = admin_client.get(f"/admin/cables/cable/{cable.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "KAZAKHSTAN: AMBASSADOR" in page
    assert "search_vector" not in page and "Search vector" not in page
    assert "title_vector" not in page and "Title vector" not in page


def test_cables_cannot_be_added_through_the_admin(admin_client, imported_seeds):
    assert admin_client.get("/admin/cables/cable/add/").status_code == 403


def test_a_person_renamed_by_hand_makes_the_cached_pages_stale(admin_client, imported_seeds):
    person = Person.objects.get(slug="john-ordway")
    before = ArchiveState.current()
    response = admin_client.post(
        f"/admin/cables/person/{person.pk}/change/",
        {
            "name": "John M. Ordway",
            "slug": person.slug,
            "key": person.key,
            "surname_key": person.surname_key,
            "scope": person.scope,
            "aliases": json.dumps(person.aliases),
            "titles": json.dumps(person.titles),
            "cable_count": person.cable_count,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.get(pk=person.pk).name == "John M. Ordway"
    assert ArchiveState.current() > before
