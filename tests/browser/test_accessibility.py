"""Accessibility (issue 8): axe-core, run in Chromium on each main page of the archive, finds
no serious or critical violation of WCAG 2.x A/AA rules.

axe-core comes from the npm registry (``package.json``, installed by ``make test``); it is
injected into each page, so the context bypasses the site's Content-Security-Policy (which,
rightly, lets no script in that the site did not serve)."""

import pytest

from .conftest import ROOT, TIMEOUT_MS

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")

PAGES = [
    "/",
    "/cables/",
    "/cables/?tag=PHUM&classification=CONFIDENTIAL",
    "/cables/?q=%22democratic+reform%22",
    "/cables/06ALMATY2803/",
    "/cables/06ALMATY2803/?q=reform",
    "/tags/",
    "/tags/KZ/",
    "/origins/",
    "/origins/us-office-almaty/",
    "/people/",
    "/people/adylbek-dzhaksybekov/",
]


@pytest.fixture
def axe_page(browser, site):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (or `npm ci`) to install axe-core")
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, base_url=site, bypass_csp=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
        })"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_has_no_serious_accessibility_violation(axe_page, path):
    response = axe_page.goto(path)
    assert response.status == 200
    assert serious_violations(axe_page) == []


def test_a_narrow_screen_has_no_serious_accessibility_violation(axe_page):
    axe_page.set_viewport_size({"width": 390, "height": 844})
    axe_page.goto("/cables/?tag=KZ")
    assert serious_violations(axe_page) == []


def test_the_check_finds_a_serious_violation_when_there_is_one(axe_page):
    axe_page.goto("/cables/")
    # An image without alternative text and a link without a name: what the check is for.
    axe_page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/none.png";
            document.querySelector("main").append(img);
            const link = document.createElement("a");
            link.href = "/";
            document.querySelector("main").append(link);
        }"""
    )
    found = serious_violations(axe_page)
    assert any(v.startswith("image-alt (critical)") for v in found), found
    assert any(v.startswith("link-name (serious)") for v in found), found
