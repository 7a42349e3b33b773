"""The widget and the demo page are served as they are, and the widget never
renders text as HTML."""
from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest

from bot.app import create_app
from bot.crisis_lines import DEFAULT_KNOWLEDGE_DIR, CrisisLinesError, load_crisis_lines
from tests.gateway.conftest import PARTNER_ORIGIN

WIDGET_DIR = Path(__file__).resolve().parents[2] / "bot" / "widget"
# SPEC "Human handoff": the crisis lines the widget's help lists (names as in contacts.yml).
SPEC_CRISIS_NUMBERS = ["113", "116 117", "116 123", "22 40 00 40", "116 111", "112"]


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
    for text in ('role: "log"', '"aria-live": "polite"', "Snakk med veileder", "Slett samtalen", "Skriv meldingen din",
                 "Trenger du hjelp nå?"):
        assert text in source, text


def test_crisis_lines_come_from_the_knowledge_base():
    lines = load_crisis_lines(DEFAULT_KNOWLEDGE_DIR)
    assert [line.number for line in lines] == SPEC_CRISIS_NUMBERS
    assert [line.tel for line in lines][:2] == ["tel:113", "tel:116117"]
    assert all(line.name for line in lines)
    # The widget holds no list of its own; it asks the gateway.
    source = (WIDGET_DIR / "widget.js").read_text()
    assert "/api/crisis-lines" in source
    assert not [number for number in SPEC_CRISIS_NUMBERS if " " in number and number in source]


@pytest.mark.asyncio
async def test_demo_page_lists_every_crisis_line(client):
    page = await (await client.get("/")).text()
    section = page[page.index('id="emergency"'):page.index("</section>", page.index('id="emergency"'))]
    for line in load_crisis_lines(DEFAULT_KNOWLEDGE_DIR):
        assert f'<a href="{line.tel}">{line.number}</a> – {html.escape(line.name)}' in section, line
    assert "anonym" not in section.lower()  # 113 and 112 are not anonymous
    assert "crisis-lines -->" not in page
    raw = (WIDGET_DIR / "index.html").read_text()
    assert not [number for number in SPEC_CRISIS_NUMBERS if " " in number and number in raw]  # filled in, not copied


@pytest.mark.asyncio
async def test_widget_gets_the_crisis_lines_before_any_conversation(client):
    response = await client.get("/api/crisis-lines", headers={"Origin": PARTNER_ORIGIN})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == PARTNER_ORIGIN
    assert "max-age" in response.headers["Cache-Control"]
    contacts = (await response.json())["contacts"]
    assert [c["number"] for c in contacts] == SPEC_CRISIS_NUMBERS
    assert contacts[0] == {"name": "Medisinsk nødhjelp", "number": "113"}
    foreign = await client.get("/api/crisis-lines", headers={"Origin": "https://evil.example"})
    assert foreign.status == 403


def test_gateway_refuses_to_start_without_the_crisis_lines(tmp_path, settings):
    with pytest.raises(CrisisLinesError, match="contacts.yml"):
        load_crisis_lines(tmp_path)
    (tmp_path / "contacts.yml").write_text("crisis:\n  - {name: Legevakt}\n", encoding="utf-8")
    with pytest.raises(CrisisLinesError, match="crisis #1"):
        load_crisis_lines(tmp_path)
    (tmp_path / "contacts.yml").write_text("crisis: [", encoding="utf-8")
    with pytest.raises(CrisisLinesError, match="YAML"):
        load_crisis_lines(tmp_path)
    with pytest.raises(CrisisLinesError):
        create_app(dataclasses.replace(settings, knowledge_dir=tmp_path))
