"""The site's URLs under /archive/ (tests/test_cable_rows.py: routes follow the URLconf)."""

from django.urls import include, path

urlpatterns = [path("archive/", include("archive_site.urls"))]
