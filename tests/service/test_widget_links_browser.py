"""The widget's Markdown renderer in Chromium with hostile strings: it makes links only to almen's own source
pages (/kilde/...) at almen's address, and nothing in a link's address or label can add tags or attributes."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from knowledge.config import Settings
from knowledge.kb import KnowledgeBase
from tests.service.conftest import LiveServer
from tests.service.test_widget_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium mangler")]

HOSTILE = [
    "[x](/\\evil.example)",
    "[x](//evil.example/kilde/a)",
    "[x](https://evil.example/kilde/a)",
    "[x](http://evil.example)",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](mailto:a@evil.example)",
    "[x](/\\/evil.example)",
    "[x](/%5Cevil.example)",
    "[x](/kilde/a**b**c)",
    "[x](/kilde/a[1]b)",
    "[**fed** [2]](/kilde/b\"onmouseover=\"alert(1))",
    "[x](/kilde/a'onmouseover='alert(1))",
    "[a `kode` b](/kilde/c) og \u00000\u0000 og [1]",
    "[x](/api/documents)",
    "[x](/kilde//evil.example)",
    "<a href=https://evil.example>klik</a> [y](https://evil.example)",
    "- [x](/\\evil.example) [3]\n> [q](//evil.example)\n# [h](https://evil.example)",
]
ALLOWED = {"a": {"href", "target", "rel"}, "button": {"type", "class", "data-n", "aria-label"}, "strong": set(),
           "em": set(), "code": set(), "p": set(), "br": set(), "ul": set(), "ol": set(), "li": set(),
           "blockquote": set(), "pre": set(), "h1": set(), "h2": set(), "h3": set(), "h4": set(), "h5": set(),
           "h6": set()}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from service.api.app import create_app

    home = tmp_path_factory.mktemp("widget-links")
    settings = Settings(home=home, embedding_backend="fake", allow_anonymous=True)
    app = create_app(settings, kb=KnowledgeBase(settings), bind_host="127.0.0.1", ingest_builtin=False)
    with LiveServer(app) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(server.url + "/")
        page.wait_for_function("() => !!(window.AlmenChat && window.AlmenChat.renderMarkdown)")
        yield page
        browser.close()


def rendered(page, text: str) -> dict:  # type: ignore[no-untyped-def]
    """The elements, their attributes and the links' resolved addresses of the rendered text."""
    return page.evaluate("""text => {
        const box = document.createElement('div');
        box.innerHTML = AlmenChat.renderMarkdown(text);
        return {
            elements: [...box.querySelectorAll('*')].map(e => [e.tagName.toLowerCase(), e.getAttributeNames()]),
            links: [...box.querySelectorAll('a')].map(a => [a.href, a.textContent]),
            origin: location.origin,
        };
    }""", text)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_links_lead_nowhere_but_almen(page, text: str) -> None:  # type: ignore[no-untyped-def]
    out = rendered(page, text)
    for tag, attributes in out["elements"]:
        assert tag in ALLOWED and set(attributes) <= ALLOWED[tag], (text, tag, attributes)
    for href, _ in out["links"]:
        assert href.startswith(out["origin"] + "/kilde/") and "evil" not in href, (text, href)


def test_own_source_links_are_kept(page) -> None:  # type: ignore[no-untyped-def]
    out = rendered(page, "Se [kilden](/kilde/builtin-tilsyn) og [den fulde](" + "{origin}/kilde/x%20y) [1]")
    out = rendered(page, "Se [kilden](/kilde/builtin-tilsyn) og [den fulde](" + out["origin"] + "/kilde/x%20y) [1]")
    assert [text for _, text in out["links"]] == ["kilden", "den fulde"]
    assert out["links"][0][0] == out["origin"] + "/kilde/builtin-tilsyn"
    assert ["button", ["type", "class", "data-n", "aria-label"]] in out["elements"]


def test_the_label_of_a_refused_link_stays_as_text(page) -> None:  # type: ignore[no-untyped-def]
    html = page.evaluate("t => AlmenChat.renderMarkdown(t)", "Læs [her](https://evil.example) i dag")
    assert "her" in html and "evil" not in html and "<a" not in html, json.dumps(html)


