"""URLs of the archive: ``/``, ``/cables/``, ``/cables/<ID>/``, ``/tags/``, ``/origins/``,
``/people/`` and their JSON twins."""

from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import views
from .cache import cached_page
from .paths import CableIdConverter

register_converter(CableIdConverter, "cable_id")

app_name = "cables"

urlpatterns = [
    path("", views.home, name="home"),
    path("cables/", views.cable_list, name="list"),
    path("cables.json", views.cable_list_json, name="list_json"),
    path("cables.csv", views.cable_list_csv, name="list_csv"),
    path("cables.jsonl", views.cable_list_jsonl, name="list_jsonl"),
    # (A feed is polled again and again; it changes only with the archive.)
    path("cables.atom", cached_page(views.cable_list_atom), name="list_atom"),
    path("cables/<cable_id:reference_id>/", cached_page(views.cable_detail), name="detail"),
    path(
        "cables/<cable_id:reference_id>.json",
        cached_page(views.cable_detail_json),
        name="detail_json",
    ),
    path("tags/", views.tag_list, name="tags"),
    path("tags.json", views.tag_list_json, name="tags_json"),
    # A code may hold any character (person tags: "CLINTON, HILLARY").
    path("tags/<path:code>/", cached_page(views.tag_detail), name="tag"),
    path("tags/<path:code>.json", cached_page(views.tag_detail_json), name="tag_json"),
    path("origins/", views.origin_list, name="origins"),
    path("origins.json", views.origin_list_json, name="origins_json"),
    path("origins/<slug:slug>/", cached_page(views.origin_detail), name="origin"),
    path("origins/<slug:slug>.json", cached_page(views.origin_detail_json), name="origin_json"),
    path("people/", views.people_list, name="people"),
    path("people.json", views.people_list_json, name="people_json"),
    path("people/<slug:slug>/", cached_page(views.person_detail), name="person"),
    path("people/<slug:slug>.json", cached_page(views.person_detail_json), name="person_json"),
]

# Every page of the archive only reads: GET and HEAD; any other method is a 405.
for pattern in urlpatterns:
    pattern.callback = require_safe(pattern.callback)
