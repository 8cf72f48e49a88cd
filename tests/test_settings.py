"""Tests of archive_site/settings.py under controlled environments.

(They never set PYTEST_VERSION, DJANGO_TESTING or argv "test", so the child process sees
a production start unless a test asks otherwise.)

Each test imports the settings module in a fresh interpreter (``sys.executable -c``) with
an environment built from scratch, so the result does not depend on the settings already
loaded in this process. None of them touches a database.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables read by the settings module; all removed before each case sets its own.
SETTINGS_VARS = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_TESTING",
    "PYTEST_VERSION",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
)

# Prints the interesting parts of the settings as JSON.
DUMP = """
import json
from archive_site import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "BASE_DIR": str(s.BASE_DIR),
    "DATABASES": s.DATABASES,
    "INSTALLED_APPS": s.INSTALLED_APPS,
    "STORAGES": s.STORAGES,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "CACHES": s.CACHES,
}, default=str))
"""


def run_settings(code, **env_vars):
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env.update(env_vars)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BASE_DIR), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(**env_vars):
    result = run_settings(DUMP, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings("import archive_site.settings")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_mode_without_a_secret_key_uses_a_dev_key_and_local_hosts():
    settings = load_settings(DJANGO_DEBUG="1")
    assert settings["DEBUG"] is True
    for host in ("localhost", "127.0.0.1", "testserver"):
        assert host in settings["ALLOWED_HOSTS"]


def test_without_database_url_the_database_is_sqlite_in_the_project_root():
    settings = load_settings(DJANGO_SECRET_KEY="k")
    db = settings["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(db["NAME"]) == Path(settings["BASE_DIR"]) / "db.sqlite3"
    assert Path(settings["BASE_DIR"]) == BASE_DIR
    assert "django.contrib.postgres" not in settings["INSTALLED_APPS"]


def test_a_postgres_database_url_selects_postgresql_and_its_contrib_app():
    settings = load_settings(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u:p@h:5432/db")
    db = settings["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], int(db["PORT"])) == (
        "db",
        "u",
        "p",
        "h",
        5432,
    )
    assert "django.contrib.postgres" in settings["INSTALLED_APPS"]


def test_production_serves_static_files_with_whitenoise_manifest_storage():
    settings = load_settings(DJANGO_SECRET_KEY="k")
    assert settings["DEBUG"] is False
    assert (
        settings["STORAGES"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_test_runs_and_debug_mode_use_plain_static_storage():
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    testing = load_settings(DJANGO_SECRET_KEY="k", DJANGO_TESTING="1")
    debug = load_settings(DJANGO_DEBUG="1")
    assert testing["STORAGES"]["staticfiles"]["BACKEND"] == plain
    assert debug["STORAGES"]["staticfiles"]["BACKEND"] == plain


def test_a_pytest_run_needs_no_secret_key():
    settings = load_settings(PYTEST_VERSION="9")
    assert settings["DEBUG"] is False
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert settings["STORAGES"]["staticfiles"]["BACKEND"] == plain


def test_cached_pages_are_kept_apart_for_each_database():
    def prefix(**env_vars):
        return load_settings(DJANGO_SECRET_KEY="k", **env_vars)["CACHES"]["default"]["KEY_PREFIX"]

    sqlite = prefix()
    one = prefix(DATABASE_URL="postgres://u:p@h:5432/one")
    assert len({sqlite, one, prefix(DATABASE_URL="postgres://u:p@h:5432/two")}) == 3
    assert prefix(DATABASE_URL="postgres://other:secret@h:5432/one") == one  # same database
