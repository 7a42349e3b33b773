"""The widget and the demo page are served as they are, and the widget never
renders text as HTML."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

WIDGET_DIR = Path(__file__).resolve().parents[2] / "bot" / "widget"


@pytest.mark.asyncio
async def test_demo_page_embeds_the_widget_with_one_script_tag(client):
    response = await client.get("/")
    assert response.status == 200
    assert response.content_type == "text/html"
    page = await response.text()
    assert page.count("<script") == 1
    assert '<script src="/widget.js" data-title="Akan-veilederen" defer></script>' in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.asyncio
async def test_widget_files_are_served(client):
    js = await client.get("/widget.js")
    assert js.status == 200 and js.content_type == "application/javascript"
    css = await client.get("/widget.css")
    assert css.status == 200 and css.content_type == "text/css"


def test_widget_never_parses_text_as_html():
    source = (WIDGET_DIR / "widget.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


def test_widget_keeps_the_conversation_in_session_storage_only():
    source = (WIDGET_DIR / "widget.js").read_text()
    assert "sessionStorage" in source
    assert "localStorage" not in source
    assert "document.cookie" not in source
    assert re.search(r'credentials:\s*"omit"', source)


def test_widget_ui_is_norwegian_and_accessible():
    source = (WIDGET_DIR / "widget.js").read_text()
    for text in ('role: "log"', '"aria-live": "polite"', "Snakk med veileder", "Slett samtalen", "Skriv meldingen din"):
        assert text in source, text
