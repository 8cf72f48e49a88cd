"""Security: deployment checks, response headers, escaping of hostile cable text, no write
endpoint, and every parameter of every page fuzzed with hostile values (never a 500)."""

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import URLPattern, get_resolver

from cables.models import Cable, Mention, Person, Recipient
from cables.search import index_cable

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = BASE_DIR / "templates"

# --- `manage.py check --deploy` under production settings -------------------------------

# Variables read by the settings module; all removed before each run sets its own.
SETTINGS_VARS = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_TESTING",
    "PYTEST_VERSION",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "DJANGO_HTTPS",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_SECURE_HSTS_PRELOAD",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
)


def manage(*args: str, **env_vars: str) -> subprocess.CompletedProcess:
    """``manage.py ARGS`` in a fresh interpreter, with only ``env_vars`` of the settings'
    variables set (a production start: no PYTEST_VERSION, no DJANGO_TESTING)."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env.update(env_vars)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "cables.example.org",
    "DJANGO_HTTPS": "1",
}


# Runs `check --deploy` (failing on a warning) and prints the HTTPS settings.
CHECK_AND_DUMP = """
import json
from django.conf import settings as s
from django.core.management import call_command
from django.core.management.base import SystemCheckError
try:
    call_command("check", deploy=True, fail_level="WARNING")
    issues = ""
except SystemCheckError as error:
    issues = str(error)
print(json.dumps({"issues": issues, "https": [
    s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]}))
"""


def check_deploy(**env_vars: str) -> dict:
    result = manage("shell", "-c", CHECK_AND_DUMP, **env_vars)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr
    production = check_deploy(**PRODUCTION)
    assert production == {"issues": "", "https": [True, 31_536_000, True, True, True, True]}


def test_check_deploy_warns_when_https_is_off():
    plain_http = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_HTTPS"}
    result = check_deploy(**plain_http)
    assert "security.W004" in result["issues"]  # no HSTS
    assert "security.W008" in result["issues"]  # no redirect to https
    # Cookies stay Secure in production even then; no redirect, no HSTS.
    assert result["https"] == [False, 0, False, False, True, True]


def test_local_debug_runs_over_plain_http_and_check_deploy_says_so():
    local = check_deploy(DJANGO_DEBUG="1")
    assert "security.W018" in local["issues"]  # DEBUG on
    assert local["https"] == [False, 0, False, False, False, False]


# --- the archive used by the page tests -------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
QUOTES = "'single' \"double\" `back`"
EVIL = f"{SCRIPT} {BREAKOUT} {QUOTES}"


@pytest.fixture
def evil(make_cable, mention):
    """Two cables whose every text field holds markup and quotes, a person with such a name
    and tags with such descriptions, searchable by the word "zanzibar"."""
    cited = make_cable(
        "06EVIL1",
        "2006-03-01 10:00",
        subject=f"zanzibar cited {EVIL}",
        origin=f"Embassy {SCRIPT}",
        paragraphs=[f"1. zanzibar first {EVIL}"],
        tags=[("KZ", f"Kazakhstan {EVIL}")],
    )
    cable = make_cable(
        "06EVIL2",
        "2006-04-02 11:00",
        subject=f"zanzibar {EVIL}",
        summary=f"Summary {EVIL}",
        classification="CONFIDENTIAL//NOFORN",
        origin=f"Embassy {SCRIPT}",
        signer=f"Signer {EVIL}",
        classified_by=f"Classified by {EVIL}",
        header=f"Header {EVIL}",
        body=f"zanzibar {EVIL}",
        paragraphs=[
            {"text": f"1. (C) zanzibar talks {EVIL} per REF A", "heading": f"Heading {EVIL}"},
            f"2. Minister Evilname said {EVIL}",
        ],
        references=[
            {"letter": "A", "cited_id": "06EVIL1", "text": f"A. 06EVIL1 {EVIL}"},
            {"letter": "B", "cited_id": f"{SCRIPT}"[:64], "text": f"B. {EVIL}"},
        ],
        recipients=[(Recipient.ACTION, f"SECSTATE {EVIL}"), ("info", f"Info {EVIL}")],
        tags=["KZ", ("PREL", f"Political {EVIL}")],
        sources=[(f"mirror/{EVIL}.txt", "text")],
    )
    person = Person.objects.create(
        name=f"Evilname {EVIL}",
        slug="evil-person",
        aliases=[f"EVILNAME {EVIL}"],
        titles=[f"FM {EVIL}"],
    )
    mention(person, cable, Mention.SIGNER)
    mention(person, cable, Mention.NAMED, cable.paragraphs.get(number=2))
    for c in (cited, cable):
        index_cable(c.pk)
    return cable


class Markup(HTMLParser):
    """The elements and attributes of a page, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_text.append(data)


def assert_inert(content: str) -> None:
    """No script, handler or element came out of the cable text: the only script is the
    site's own file, no attribute is an event handler, no <img> at all."""
    markup = Markup()
    markup.feed(content)
    for tag, attrs in markup.tags:
        assert tag != "img", attrs
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs
        for value in attrs.values():
            assert not (value or "").lower().startswith("javascript:"), (tag, attrs)
    assert markup.script_text == []
    assert SCRIPT not in content
    assert "<img" not in content


EVIL_PAGES = [
    "/",
    "/cables/",
    "/cables/?q=zanzibar",
    "/cables/?q=evilname&tag=KZ",
    "/cables/?person=evil-person",
    "/cables/06EVIL2/",
    "/cables/06EVIL2/?q=zanzibar",
    "/cables/06EVIL1/",
    "/tags/",
    "/tags/KZ/",
    "/tags/PREL/",
    "/origins/",
    "/origins/embassy-scriptalert1script/",
    "/people/",
    "/people/?name=evil",
    "/people/evil-person/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", EVIL_PAGES)
def test_hostile_cable_text_renders_as_text(client, evil, url):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert_inert(content)
    # What the cables say is there, escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


@pytest.mark.django_db
def test_the_cable_page_shows_every_hostile_field_escaped(client, evil):
    content = client.get("/cables/06EVIL2/").content.decode()
    escaped_breakout = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    for label in (
        "Heading",
        "Signer",
        "Classified by",
        "Header",
        "SECSTATE",
        "Info",
        "Political",
        "Kazakhstan",
    ):
        assert f"{label} &lt;script&gt;" in content, label
    assert escaped_breakout in content
    assert "&#x27;single&#x27; &quot;double&quot;" in content


@pytest.mark.django_db
def test_search_snippets_escape_the_text_around_the_marked_words(client, evil):
    content = client.get("/cables/?q=zanzibar").content.decode()
    assert "<mark>zanzibar</mark>" in content.lower()
    assert_inert(content)
    data = client.get("/cables.json?q=zanzibar").json()
    htmls = [s["html"] for r in data["results"] for s in r["snippets"]]
    assert htmls
    for html in htmls:
        assert "<script" not in html and "<img" not in html
        assert re.sub(r"</?mark>", "", html).count("<") == 0


JSON_URLS = [
    "/cables.json",
    "/cables.json?q=zanzibar",
    "/cables/06EVIL2.json",
    "/tags.json",
    "/tags/PREL.json",
    "/origins.json",
    "/origins/embassy-scriptalert1script.json",
    "/people.json",
    "/people/evil-person.json",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", JSON_URLS)
def test_json_keeps_hostile_text_as_valid_json_strings(client, evil, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    text = json.dumps(data)
    assert json.dumps(SCRIPT)[1:-1] in text  # the text itself, as a plain string


# --- headers --------------------------------------------------------------------------

HEADER_PAGES = ["/", "/cables/", "/cables.json", "/tags/", "/people/", "/no/such/page/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", HEADER_PAGES)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    # Plain http (the test settings): no HSTS.
    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
)
def test_with_https_on_http_redirects_and_https_sends_hsts(client):
    plain = client.get("/cables/?tag=KZ")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/cables/?tag=KZ"
    secure = client.get("/cables/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_templates_hold_no_inline_script_style_or_handler():
    """The CSP allows no inline code: every script and style is a static file."""
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            assert "src=" in match.group(0), (path, match.group(0))
        assert "<style" not in text, path
        assert not re.search(r"\sstyle\s*=", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "javascript:" not in text, path


# --- admin and write endpoints ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/cables/cable/", "/admin/cables/tag/1/change/", "/admin/auth/user/"]
)
def test_admin_pages_ask_for_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_admin_writes_need_a_login_and_a_csrf_token(evil):
    from django.test import Client

    before = db_state()
    tag_url = "/admin/cables/tag/1/change/"
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(tag_url, {"description": "x"}).status_code == 403  # CSRF
    lax = Client()
    response = lax.post(tag_url, {"description": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    login = lax.post("/admin/login/", {"username": "admin", "password": "' OR 1=1--"})
    assert login.status_code == 200  # the form again, with its error
    assert db_state() == before  # (reading the client's session below stores one)
    assert "_auth_user_id" not in lax.session


def public_urls() -> list[str]:
    """One URL per route of the archive (everything but the admin), with real values."""
    return [
        "/",
        "/cables/",
        "/cables.json",
        "/cables.csv",
        "/cables.jsonl",
        "/cables.atom",
        "/cables/06EVIL2/",
        "/cables/06EVIL2.json",
        "/tags/",
        "/tags.json",
        "/tags/KZ/",
        "/tags/KZ.json",
        "/origins/",
        "/origins.json",
        "/origins/embassy-scriptalert1script/",
        "/origins/embassy-scriptalert1script.json",
        "/people/",
        "/people.json",
        "/people/evil-person/",
        "/people/evil-person.json",
    ]


def archive_routes() -> list[str]:
    resolver = get_resolver()
    (archive,) = [p for p in resolver.url_patterns if getattr(p, "app_name", "") == "cables"]
    return [p.name for p in archive.url_patterns if isinstance(p, URLPattern)]


def test_the_public_url_lists_cover_every_route():
    from django.urls import resolve

    covered = {resolve(url.split("?")[0]).url_name for url in public_urls()}
    assert covered == set(archive_routes())
    fuzzed = {resolve(url).url_name for url, _ in FUZZ_TARGETS}
    assert fuzzed == set(archive_routes())


def db_state() -> dict[str, object]:
    """Row counts of every table, and what the cables hold: to prove nothing was written."""
    state: dict[str, object] = {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }
    state["cables"] = list(
        Cable.objects.order_by("id").values_list(
            "id", "reference_id", "subject", "classification", "origin", "last_changed"
        )
    )
    return state


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_accept_no_writes(evil, method):
    from django.test import Client

    before = db_state()
    for client in (Client(), Client(enforce_csrf_checks=True)):
        for url in public_urls():
            response = getattr(client, method)(url, {"subject": "changed"})
            assert response.status_code in (403, 405), (method, url, response.status_code)
    assert db_state() == before


@pytest.mark.django_db
def test_head_and_options_are_read_only_too(client, evil):
    for url in public_urls():
        assert client.head(url).status_code == 200, url
        assert client.options(url).status_code in (200, 405), url


# --- fuzzing: every parameter of every page -----------------------------------------------

# What every parameter of every page is set to, one at a time.
HOSTILE = [
    "' OR 1=1--",
    '"; DROP TABLE cables_cable; --',
    "%00",
    "KZ\x00' OR '1'='1",
    "x" * 10_000,
    "9" * 10_000,
    "99999999999999999999",
    "-1",
    "0",
    "1e309",
    "NO-SUCH-VALUE",
    "2006-02-30",
    "0000-00-00",
    "9999-99-99",
    "9999-12-31",
    BREAKOUT + SCRIPT,
    "\u202e\u200b\ufeff\u0301\uffff",
    "²",
    "٢٠٠٦",
    "💣" * 100,
    " ",
    "last",
]
# More, in every parameter of /cables/ at once (the way a hostile crawler sends them).
MORE_HOSTILE = [
    "1; DELETE FROM cables_cable",
    "\x00",
    "-99999999999999999999",
    "-1e309",
    "NaN",
    "inf",
    "0x10",
    "1.5",
    "0001-01-01",
    "2006-13-01",
    "2006-1-1",
    "20060101",
    "newest",
    "relevance",
    "SECRET//NOFORN",
    "２００６",
    "١٢",
    "Ⅻ",
    "ǅ\u0130\u0131ß",
    "\r\n\t",
    "",
    "*",
    "%",
    "_",
    "\\",
    '"',
    "(",
    "NOT OR AND",
    "NEAR(a b)",
    "subject:x",
    "{}",
    "a" * 501,
    "06EVIL2",
    "EVIL 2",
    "06evil2",
]
# The same parameter 50 times: the same value, and 50 different ones.
REPEATED = [["KZ"] * 50, [str(n) for n in range(2000, 2050)]]
# Raw query strings the test client would not produce: invalid UTF-8, a stray percent sign,
# a name without "=", empty names.
RAW_QUERIES = ["{p}=%ff%fe%ed%a0%80%c0%80", "{p}=%&{p}=%zz", "{p}&{p}=&=x", "{p}[]=1&{p}=1;{p}=2"]

# Every route with the parameters it reads (and "q" and "page" everywhere).
LIST_PARAMS = [
    "tag",
    "person",
    "classification",
    "level",
    "caveat",
    "origin",
    "year",
    "month",
    "date_from",
    "date_to",
    "q",
    "sort",
    "page",
]
ORIGIN = "/origins/embassy-scriptalert1script"
FUZZ_TARGETS = (
    [("/", p) for p in ("q", "page")]
    + [
        (url, p)
        for url in ("/cables/", "/cables.json", "/cables.csv", "/cables.jsonl", "/cables.atom")
        for p in LIST_PARAMS
    ]
    + [(url, p) for url in ("/cables/06EVIL2/", "/cables/06EVIL2.json") for p in ("q", "page")]
    + [(url, p) for url in ("/tags/", "/tags.json") for p in ("kind", "page")]
    + [(url, "page") for url in ("/tags/KZ/", "/tags/KZ.json", "/origins/", "/origins.json")]
    + [(url, "page") for url in (f"{ORIGIN}/", f"{ORIGIN}.json")]
    + [(url, p) for url in ("/people/", "/people.json") for p in ("name", "page")]
    + [(url, "page") for url in ("/people/evil-person/", "/people/evil-person.json")]
)
OK_STATUSES = {200, 301, 302, 400, 404}


def check_response(response, what) -> None:
    assert response.status_code in OK_STATUSES, (what, response.status_code)
    if response.status_code in (301, 302):
        assert response["Location"].startswith("/"), what  # never off-site
        return
    content_type = response["Content-Type"]
    if content_type.startswith("application/json"):
        json.loads(response.content)
    elif not content_type.startswith("text/html"):
        # Exports (CSV, JSON Lines, Atom) hold the text as data, escaped for their format.
        b"".join(response.streaming_content if response.streaming else [response.content])
    else:
        content = response.content.decode()
        assert SCRIPT not in content and "<img" not in content, what


FUZZ_URLS = list(dict.fromkeys(url for url, _ in FUZZ_TARGETS))


@pytest.mark.django_db
@pytest.mark.parametrize("url", FUZZ_URLS)
def test_fuzzed_parameters_never_cause_a_server_error(client, evil, url):
    before = db_state()
    for param in [p for u, p in FUZZ_TARGETS if u == url]:
        for value in [*HOSTILE, *REPEATED]:
            check_response(client.get(url, {param: value}), (url, param, value))
        for raw in RAW_QUERIES:
            query = raw.format(p=param)
            check_response(client.get(f"{url}?{query}"), (url, query))
    assert db_state() == before


# The values that pass some validation (digits, a real date, one year) and go further.
ODD_VALUES = ["9" * 10_000, "0", "9999-12-31", "²"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cables/", "/cables.json"])
def test_every_list_parameter_fuzzed_at_once_never_causes_a_server_error(client, evil, url):
    """Each value in every parameter at once, then each value in one parameter of an
    otherwise valid selection (a search, one year and month, a tag)."""
    before = db_state()
    valid = {"q": "zanzibar", "year": "2006", "month": "4", "tag": "KZ", "sort": "oldest"}
    for value in [*MORE_HOSTILE, *ODD_VALUES]:
        params = {param: value for param in LIST_PARAMS}
        check_response(client.get(url, params), (url, value))
        if url == "/cables/" and value in ODD_VALUES:
            for param in LIST_PARAMS:
                params = {**valid, param: value}
                check_response(client.get(url, params), (url, param, value))
    assert db_state() == before


@pytest.mark.django_db
def test_more_than_twenty_values_of_a_parameter_are_a_400(client, evil):
    tags = [f"T{n}" for n in range(70)]  # on SQLite, 70 tags would join 140 tables
    response = client.get("/cables/", {"tag": tags})
    assert response.status_code == 400
    assert "Choose at most 20 values." in response.content.decode()
    assert client.get("/cables.json", {"tag": tags}).json() == {
        "errors": {"tag": ["Choose at most 20 values."]}
    }
    assert client.get("/cables/", {"tag": tags[:20]}).status_code == 200


@pytest.mark.django_db
def test_the_last_date_and_odd_month_digits_are_no_server_error(client, evil):
    response = client.get("/cables.json", {"date_from": "2006-04-01", "date_to": "9999-12-31"})
    assert [r["id"] for r in response.json()["results"]] == ["06EVIL2"]
    assert client.get("/cables/", {"year": "2006", "month": "٤"}).status_code == 200
    for month in ("²", "9" * 10_000):
        assert client.get("/cables/", {"year": "2006", "month": month}).status_code == 400


PATH_VALUES = [
    "' OR 1=1--",
    '"; DROP TABLE cables_cable; --',
    "\x00",
    "KZ\x00",
    "99999999999999999999",
    "-1",
    "NO-SUCH-VALUE",
    BREAKOUT + SCRIPT,
    "\u202e\u200b\ufeff",
    "💣",
    "a" * 300,
    "..",
    "../admin",
    "%2e%2e",
    "KZ/../../admin",
    "06evil2",
]
PATH_ROUTES = ["/cables/{}/", "/cables/{}.json", "/tags/{}/", "/tags/{}.json"] + [
    "/origins/{}/",
    "/origins/{}.json",
    "/people/{}/",
    "/people/{}.json",
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PATH_ROUTES)
def test_fuzzed_path_segments_never_cause_a_server_error(client, evil, route):
    before = db_state()
    for value in PATH_VALUES:
        url = route.format(quote(value, safe=""))
        check_response(client.get(url), url)
        check_response(client.get(url + "?q=zanzibar&page=2"), url)
    assert db_state() == before
