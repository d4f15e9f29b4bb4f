"""The page's access bar in Chromium: local mode hides the key field and uploads without a key; a proxy user is
shown by name and the page and the chat send the CSRF token; without a key the refusal names no key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import API_KEYS, LiveServer
from tests.service.test_widget_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler")]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def serve(api_kb: KnowledgeBase, home: Path, **settings: object) -> LiveServer:
    from service.api.app import create_app

    values: dict[str, object] = {"home": home, "embedding_backend": "fake", "api_keys": "", "allow_anonymous": None}
    values.update(settings)
    return LiveServer(create_app(Settings(**values), kb=api_kb, bind_host="127.0.0.1", ingest_builtin=False))


def test_local_mode_page_has_no_key_field_and_uploads(api_kb: KnowledgeBase, browser, tmp_path: Path) -> None:
    note = tmp_path / "Notat om cykelskure.md"
    note.write_text("# Notat om cykelskure\n\nAfdelingen ønsker nye cykelskure ved blok C.\n", encoding="utf-8")
    with serve(api_kb, tmp_path / "home") as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="da-DK")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.url + "/")
        page.locator("#access-status", has_text="Lokal tilstand").wait_for(timeout=20_000)
        assert not page.locator("#key-form").is_visible() and not page.locator("#api-key").is_visible()
        assert not page.locator("#login-link").is_visible() and not page.locator("#logout-button").is_visible()
        page.set_input_files("#upload-file", str(note))
        page.locator("#upload-form button[type=submit]").click()
        page.locator("#upload-result .ok").wait_for(timeout=60_000)
        assert "tilføjet" in page.locator("#upload-result").inner_text()
        page.locator("#docs-refresh").click()
        page.locator("#docs-result table").wait_for(timeout=20_000)
        assert "Notat om cykelskure" in page.locator("#docs-result").inner_text()
        page.screenshot(path=str(tmp_path / "local-mode.png"))
        assert not errors, errors


def test_without_a_key_the_refusal_names_no_key(api_kb: KnowledgeBase, browser, tmp_path: Path) -> None:
    with serve(api_kb, tmp_path / "home", api_keys=API_KEYS) as server:
        page = browser.new_page(locale="da-DK")
        page.goto(server.url + "/")
        page.locator("#key-form").wait_for(state="visible")
        page.locator("#docs-refresh").click()
        alert = page.locator("#docs-result [role=alert]")
        alert.wait_for(timeout=20_000)
        text = alert.inner_text()
        assert "Uden API-nøgle" in text and "Din API-nøgle har rollen" not in text


def test_a_proxy_user_is_shown_and_writes_carry_the_csrf_token(api_kb: KnowledgeBase, browser, tmp_path: Path) -> None:
    note = tmp_path / "Notat om vaskeri.md"
    note.write_text("# Notat om vaskeri\n\nVaskeriet i afdeling 9 får nye maskiner i 2026.\n", encoding="utf-8")
    with serve(api_kb, tmp_path / "home", api_keys=API_KEYS, allow_anonymous=False, proxy_trusted="127.0.0.1",
               group_roles="almen-redaktoerer=editor") as server:
        context = browser.new_context(locale="da-DK", extra_http_headers={
            "X-Forwarded-User": "mette", "X-Forwarded-Groups": "almen-redaktoerer"})
        page = context.new_page()
        page.goto(server.url + "/")
        page.locator("#access-status", has_text="Logget ind som mette (redaktør)").wait_for(timeout=20_000)
        assert not page.locator("#key-form").is_visible()
        page.set_input_files("#upload-file", str(note))
        page.locator("#upload-form button[type=submit]").click()
        page.locator("#upload-result .ok").wait_for(timeout=60_000)
        page.locator("almen-chat .ac-input").fill("Hvad er formålet med styringsdialogen?")
        page.locator("almen-chat .ac-send").click()
        page.locator("almen-chat article.ac-assistant .ac-text").last.wait_for(timeout=60_000)
        assert page.locator("almen-chat .ac-error-text").count() == 0
        context.close()
