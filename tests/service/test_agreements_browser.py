"""The 'Aftaler' tab of the service's page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.agreements_helpers import samples_home
from tests.service.conftest import API_KEYS, KEYS, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from service.api.app import create_app

    settings = Settings(home=samples_home(tmp_path_factory), embedding_backend="fake", api_keys=API_KEYS,
                        allow_anonymous=False)
    app = create_app(settings, kb=KnowledgeBase(settings), bind_host="127.0.0.1", ingest_builtin=False)
    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_agreements_tab_filters_sources_and_csv(server: LiveServer, browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page.goto(server.url + "/")
    assert page.locator("#panel-agreements").is_hidden() and page.locator("#panel-assistant").is_visible()
    page.fill("#api-key", KEYS["reader"])
    page.click("#key-form button[type=submit]")

    page.get_by_role("tab", name="Aftaler").click()
    assert page.locator("#panel-assistant").is_hidden()
    page.locator("#agreements-result table").wait_for(timeout=30_000)
    assert page.locator("#agreements-org option").count() == 4  # 'Alle' and the three organisations

    page.select_option("#agreements-org", "Boligselskabet Fjordbo")
    page.select_option("#agreements-status", "i_gang")
    page.click("#agreements-form button[type=submit]")
    expect(page.locator("#agreements-result tr")).to_have_count(2)  # header and one agreement
    row = page.locator("#agreements-result tr").nth(1)
    assert "Strandhaven" in row.inner_text() and "i gang" in row.inner_text()

    row.get_by_role("button", name="Status: Styringsrapport 2026").click()
    page.locator("#agreements-source blockquote").wait_for()
    assert "Aftale 3 er i gang" in page.locator("#agreements-source").inner_text()
    row.locator(".source-link").first.click()
    page.locator("#agreements-source h3", has_text="Referat").wait_for()
    assert "handleplan for afd. 5 Strandhaven" in page.locator("#agreements-source blockquote").inner_text()

    with page.expect_download() as info:
        page.click("#agreements-csv")
    saved = tmp_path / "aftaler.csv"
    info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Organisation;Afdeling;Nr.;Type;Aftale") and len(lines) == 2
    assert lines[1].startswith("Boligselskabet Fjordbo;Afd. 5 Strandhaven;3;")
    page.screenshot(path=str(tmp_path / "aftaler.png"), full_page=True)

    page.get_by_role("tab", name="Aftaler").press("ArrowLeft")  # keyboard: back to the assistant
    assert page.locator("#panel-assistant").is_visible() and page.locator("#panel-agreements").is_hidden()

    page.fill("#api-key", "")  # without a key the tab says a key is needed
    page.click("#key-form button[type=submit]")
    page.get_by_role("tab", name="Aftaler").click()
    page.click("#agreements-form button[type=submit]")
    page.locator("#agreements-result .fail").wait_for()
    assert "API-nøgle" in page.locator("#agreements-result").inner_text()
