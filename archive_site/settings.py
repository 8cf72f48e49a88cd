"""Django settings for the cable archive.

One settings file, driven by environment variables (like healthchecks):

=================================  =========================================================
DJANGO_DEBUG                       "1", "true", "yes" or "on" turns debug mode on (default off)
DJANGO_SECRET_KEY                  required when DEBUG is off; a fixed dev key is used in DEBUG
DJANGO_ALLOWED_HOSTS               comma-separated host names (default none in production;
                                   localhost, 127.0.0.1, [::1] and testserver added in DEBUG)
DJANGO_CSRF_TRUSTED_ORIGINS        comma-separated origins, e.g. https://cables.example.org
DATABASE_URL                       e.g. postgres://user:pass@host:5432/db
                                   (default: SQLite file db.sqlite3 in the project root)
DJANGO_HTTPS                       "1" when the site is served over HTTPS: redirects http://
                                   to https://, sends HSTS (one year, subdomains, preload)
                                   and marks the session and CSRF cookies Secure (default
                                   off, so `make run` works over plain http)
DJANGO_SECURE_PROXY_SSL_HEADER     "1" to trust X-Forwarded-Proto: https from a proxy
                                   (when TLS ends at the proxy)
DJANGO_SECURE_HSTS_SECONDS         HSTS max-age in seconds (default 31536000 with
                                   DJANGO_HTTPS, else 0 = no HSTS header)
DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS, DJANGO_SECURE_HSTS_PRELOAD
                                   "0" to leave includeSubDomains / preload out of HSTS
                                   (default on with DJANGO_HTTPS)
DJANGO_SECURE_SSL_REDIRECT         "0" / "1" to override the redirect to https:// (default:
                                   DJANGO_HTTPS)
DJANGO_LOG_LEVEL                   log level of the console logger (default INFO)
DJANGO_TESTING                     "1" forces test mode (see TESTING below)
DATABASE_PREPARED_STATEMENTS       "0" when PostgreSQL is reached through a pooler that shares
                                   its sessions between clients (pgbouncer's transaction
                                   pooling): a cable page's statement is then planned at
                                   each run, not prepared once per session (default on;
                                   see cables/prepared.Together)
CABLES_PAGE_SIZE                   cables per page in listings (default 50)
CABLES_EXPORT_LIMIT                rows at most in a /cables.csv or .jsonl export (100000)
CABLES_PAGE_CACHE                  "0" turns off the page cache of cable, person, tag and
                                   origin pages (on; off with DJANGO_DEBUG and in tests;
                                   see cables/cache.py)
CABLES_PAGE_CACHE_DIR              where cached pages are kept (.cache/pages)
CABLES_PAGE_CACHE_ENTRIES          cached pages at most (5000)
CABLES_SELECTION_CACHE             "0" turns off the cache of a list's facet counts and
                                   of a common word's counts (on when the page cache is;
                                   see cables/views.FacetCounts, PostgresEngine._shared)
CABLES_QUERY_THREADS               threads a request may count facets in, beside its own
                                   work, on PostgreSQL (2; 0: none; see cables/aside.py)
CABLES_FACET_INDEX                 "0" turns off counting facets from every cable's facet
                                   values held in memory (on; off with DJANGO_DEBUG and in
                                   tests; see cables/facet_index.py)
=================================  =========================================================
"""

import hashlib
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_VALUES = ("1", "true", "yes", "on")


def env(name, default=None):
    """Return the environment variable ``name``, or ``default`` if unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

# Test runs: pytest sets PYTEST_VERSION before pytest-django imports this module (so a
# conftest.py would be too late), `manage.py test` is recognised by its argv, and
# DJANGO_TESTING=1 forces it. Tests get a fixed key and plain static file storage.
TESTING = env_bool("DJANGO_TESTING") or "PYTEST_VERSION" in os.environ or sys.argv[1:2] == ["test"]

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-dev-key-only-for-local-debug-never-in-production"
    elif TESTING:
        SECRET_KEY = "django-insecure-test-key-only-for-test-runs"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production (DJANGO_DEBUG is off). "
            "Set DJANGO_SECRET_KEY to a long random string, or DJANGO_DEBUG=1 for local work."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    for host in ("localhost", "127.0.0.1", "[::1]", "testserver"):
        if host not in ALLOWED_HOSTS:
            ALLOWED_HOSTS.append(host)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Database ------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
DB_ENGINE = DATABASES["default"]["ENGINE"]
USING_POSTGRES = DB_ENGINE == "django.db.backends.postgresql"
# A statement run on every cable page prepared once per PostgreSQL session (PREPARE).
PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)

if DB_ENGINE == "django.db.backends.sqlite3":
    # WAL lets readers proceed during the importer's writes; IMMEDIATE avoids
    # "database is locked" errors when a read transaction is upgraded to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Applications --------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
if USING_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")
INSTALLED_APPS += [
    "django_filters",
    "cables",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "archive_site.urls"
WSGI_APPLICATION = "archive_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.csp",
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation ------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# An English-only site: without the translation machinery, Django does not look up the
# active language for every date, number and URL it renders (~130 times a cable page).
USE_I18N = False
USE_TZ = True

# Static files --------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

if DEBUG or TESTING:
    # Served straight from the app/static dirs: no collectstatic needed.
    STATICFILES_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
else:
    # Hashed, compressed files built by `manage.py collectstatic`, served by WhiteNoise.
    STATICFILES_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": STATICFILES_BACKEND},
}

# Security ------------------------------------------------------------------

# Headers on every response (SecurityMiddleware, XFrameOptionsMiddleware, CSP middleware).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy: everything from this origin only. The site's templates hold no
# inline script, style or event handler (static/js/cable.js and static/css/site.css do the
# work); the nonce is there for the admin's one inline <style> (rendered with
# {% csp_nonce_attr %}), and is only sent on responses whose template used it.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# HTTPS: off by default (local `make run` serves plain http), DJANGO_HTTPS=1 in production.
HTTPS = env_bool("DJANGO_HTTPS")
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = int(env("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", HTTPS)
# Cookies (the admin's session and CSRF token) only over HTTPS, except in local debug work.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or not DEBUG
SESSION_COOKIE_HTTPONLY = True

# Logging -------------------------------------------------------------------

LOG_LEVEL = env("DJANGO_LOG_LEVEL", "INFO").upper()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "cables": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}

# Project constants ---------------------------------------------------------

CABLES_PAGE_SIZE = int(env("CABLES_PAGE_SIZE", 50))
# The most rows /cables.csv and /cables.jsonl stream for one selection.
CABLES_EXPORT_LIMIT = int(env("CABLES_EXPORT_LIMIT", 100_000))

# Cable, person, tag and origin pages cached until an import changes the archive
# (cables/cache.py). In files, shared by every worker process (one render per page, not
# one per process); a page is 20-100 KB, 5,000 of them at most.
# Off by default while developing (DJANGO_DEBUG) and in tests.
ARCHIVE_PAGE_CACHE = env_bool("CABLES_PAGE_CACHE", default=not (TESTING or DEBUG))
ARCHIVE_PAGE_CACHE_SECONDS = 24 * 3600
# The facet counts of each selection of /cables/ (its filters and search; not its page or
# order), in the same cache and under the same version: the next page of a search, or
# another order, counts nothing again. On PostgreSQL, also a search's counts over 5,000
# cables or more (its words' paragraphs with hits, its titles' ranks: about a second for a
# common word at full size), for any page looking for the same words.
ARCHIVE_SELECTION_CACHE = env_bool("CABLES_SELECTION_CACHE", default=ARCHIVE_PAGE_CACHE)
# Facet counts of a list page run beside the rest of the request, each on a database
# connection of its own, in up to this many threads a worker process (cables/aside.py).
CABLES_QUERY_THREADS = int(env("CABLES_QUERY_THREADS", 2))
# A selection's facets counted from every cable's facet values held in memory by each
# worker process (numpy arrays, ~30 MB for the whole release; cables/facet_index.py), built
# again after each change of the archive; SQL's GROUP BY meanwhile.
ARCHIVE_FACET_INDEX = env_bool("CABLES_FACET_INDEX", default=not (TESTING or DEBUG))
_DATABASE_IDENTITY = ("ENGINE", "HOST", "PORT", "NAME")
CACHES = {
    "default": {
        # Django's FileBasedCache, its writes made cheaper (cables/cache.py).
        "BACKEND": "cables.cache.PageFileCache",
        "LOCATION": env("CABLES_PAGE_CACHE_DIR", str(BASE_DIR / ".cache" / "pages")),
        "OPTIONS": {"MAX_ENTRIES": int(env("CABLES_PAGE_CACHE_ENTRIES", 5000))},
        # Which database the pages were read from, in every key: two archives sharing the
        # cache's directory (SQLite while developing, then PostgreSQL) never serve each
        # other's pages, whose archive versions may well be the same number.
        "KEY_PREFIX": hashlib.sha256(
            "|".join(
                str(DATABASES["default"].get(part, "")) for part in _DATABASE_IDENTITY
            ).encode()
        ).hexdigest()[:12],
    }
}
