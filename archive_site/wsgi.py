"""WSGI config for the cable archive.

It exposes the WSGI callable as a module-level variable named ``application``.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_site.settings")

application = get_wsgi_application()

# What the process holds from now on (Django, the settings, the URLconf; then the facet
# index) lives as long as it does: kept out of the garbage collector's passes. A full
# pass walks every object the process tracks: 70-185 ms here once every few dozen
# requests, the slowest list page of a benchmark run; 15-55 ms with these frozen. (A
# freeze also keeps whatever cyclic garbage exists at that moment, a request's in flight
# at the second: a few dozen objects, once per worker.)
gc.freeze()

from django.conf import settings  # noqa: E402 - configured by the line above

if settings.ARCHIVE_FACET_INDEX:
    # Each worker process builds its facet index as it starts, in a thread of its own,
    # rather than at its first list page (which counts in SQL until the index is ready).
    from cables import facet_index  # noqa: E402

    facet_index.build_aside(then=gc.freeze)
