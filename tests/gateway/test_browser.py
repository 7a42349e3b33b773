"""The widget in a real browser (Debian's Chromium, driven by Playwright) against the
live stack: real Rasa with the trained model, the action server and the gateway.

Screenshots go to $VAR_DIR/test-output/browser/. Set GATEWAY_TEST_URL to run these
against a gateway that is already running (for example `make run`).
"""
from __future__ import annotations

import os
import re
import urllib.error
import urllib.request

import pytest

from bot.crisis_lines import DEFAULT_KNOWLEDGE_DIR, load_crisis_lines
from tests.gateway.chromium import SHOTS, TIMEOUT_MS, browser, expect  # noqa: F401 (browser: fixture)

# Against the live stack (gateway_url starts it), unless GATEWAY_TEST_URL names a running gateway.
pytestmark = pytest.mark.live

ROLE_BUTTON = "Jeg er leder eller HR"
TOPIC_QUESTION = "Hvordan kan jeg følge opp en ansatt som jobber på hjemmekontor?"
CRISIS_TEXT = "Jeg orker ikke mer, jeg vil ikke leve lenger"


@pytest.fixture(scope="module")
def gateway_url(request) -> str:
    if os.environ.get("GATEWAY_TEST_URL"):
        return os.environ["GATEWAY_TEST_URL"].rstrip("/")
    return request.getfixturevalue("live_stack").url


@pytest.fixture
def page(browser, gateway_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(gateway_url + "/")
    yield page
    context.close()
    assert not errors, errors


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def open_chat(page):
    page.get_by_role("button", name="Chat med Akan-veilederen").click()
    log = page.get_by_role("log")
    expect(log).to_contain_text("chatbot")
    return log


def bot_messages(page):
    return page.locator(".akan-msg--bot")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_role_by_button_then_topic_gives_recommendations_with_sources(page):
    log = open_chat(page)
    greeting = bot_messages(page).first
    expect(greeting).to_contain_text("113")
    expect(greeting).to_contain_text("anonym")
    shot(page, "01-greeting")
    page.get_by_role("button", name=ROLE_BUTTON).click()
    expect(log.locator(".akan-msg--user").last).to_have_text(re.compile(ROLE_BUTTON))
    page.get_by_label("Skriv meldingen din").fill(TOPIC_QUESTION)
    page.get_by_role("button", name="Send", exact=True).click()
    sources = log.locator(".akan-sources").last
    expect(sources).to_contain_text("Kilder:")
    expect(sources).to_contain_text("«")
    expect(page.locator(".akan-typing")).to_be_hidden()
    shot(page, "02-recommendations")
    # The permanent controls are there all along.
    expect(page.get_by_role("button", name="Snakk med veileder").last).to_be_visible()
    expect(page.get_by_role("button", name="Slett samtalen")).to_be_visible()


def test_keyboard_only(page):
    # From the top of the page: Tab to the chat launcher, open it with Enter.
    launcher = page.get_by_role("button", name="Chat med Akan-veilederen")
    for _ in range(30):
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the chat launcher cannot be reached with Tab")
    outline = launcher.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "no visible focus on the launcher"
    page.keyboard.press("Enter")
    input_box = page.get_by_label("Skriv meldingen din")
    expect(input_box).to_be_focused()
    expect(page.get_by_role("button", name=ROLE_BUTTON)).to_be_visible()
    # Shift+Tab back into the quick replies, choose one with Enter.
    role_button = page.get_by_role("button", name=ROLE_BUTTON)
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        if role_button.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the quick-reply buttons cannot be reached with the keyboard")
    page.keyboard.press("Enter")
    expect(input_box).to_be_focused()
    page.keyboard.type(TOPIC_QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator(".akan-sources").last).to_contain_text("Kilder:")
    shot(page, "03-keyboard")
    # Escape closes the chat and gives focus back to the launcher.
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()


def test_crisis_shows_the_emergency_banner(page):
    open_chat(page)
    page.get_by_label("Skriv meldingen din").fill(CRISIS_TEXT)
    page.keyboard.press("Enter")
    banner = page.get_by_role("alert")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Ring 113")
    expect(banner.get_by_role("link", name="113", exact=True)).to_have_attribute("href", "tel:113")
    expect(banner).to_contain_text("116 123")
    shot(page, "04-crisis")


def test_help_lists_every_crisis_line_before_anything_happens(page):
    open_chat(page)
    help_button = page.get_by_role("button", name="Trenger du hjelp nå?")
    expect(help_button).to_have_attribute("aria-expanded", "false")
    help_button.click()
    expect(help_button).to_have_attribute("aria-expanded", "true")
    help_panel = page.get_by_role("region", name="Trenger du hjelp nå?")
    expect(help_panel).to_be_visible()
    lines = load_crisis_lines(DEFAULT_KNOWLEDGE_DIR)  # the list every crisis reply carries
    assert len(lines) == 6
    expect(help_panel.get_by_role("listitem")).to_have_count(len(lines))
    for line in lines:
        expect(help_panel.get_by_role("link", name=line.number, exact=True)).to_have_attribute("href", line.tel)
        expect(help_panel).to_contain_text(f"{line.number} – {line.name}")
    expect(help_panel).not_to_contain_text("anonym")  # not true of 113 and 112
    expect(page.locator(".akan-msg--user")).to_have_count(0)  # nothing written yet
    expect(page.get_by_role("alert")).to_be_hidden()  # no crisis banner: this is help at any time
    shot(page, "09-help")
    help_panel.get_by_role("button", name="Skjul numrene").click()
    expect(help_panel).to_be_hidden()
    expect(help_button).to_be_focused()


def test_text_is_never_rendered_as_html(page):
    open_chat(page)
    attack = '<img src=x onerror="window.__pwned=1"><b>fet</b>'
    page.get_by_label("Skriv meldingen din").fill(attack)
    page.keyboard.press("Enter")
    expect(page.locator(".akan-msg--user").last).to_contain_text(attack)
    expect(bot_messages(page)).to_have_count(2)
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".akan-log img, .akan-log b").count() == 0


def test_delete_removes_the_conversation_and_starts_fresh(page, gateway_url):
    log = open_chat(page)
    page.get_by_role("button", name=ROLE_BUTTON).click()
    expect(log.locator(".akan-msg--user")).to_have_count(1)
    old_id = page.evaluate("Object.entries(sessionStorage).find(([k]) => k.startsWith('akan-veilederen:'))[1]")
    assert status_of(f"{gateway_url}/api/conversations/{old_id}/messages") == 200
    page.get_by_role("button", name="Slett samtalen").click()
    confirm = page.get_by_role("group", name="Vil du slette hele samtalen? Det kan ikke angres.")
    expect(confirm).to_be_visible()
    shot(page, "05-confirm-delete")
    confirm.get_by_role("button", name="Ja, slett").click()
    expect(log).to_contain_text("Samtalen er slettet")
    expect(log.locator(".akan-msg--user")).to_have_count(0)
    expect(bot_messages(page)).to_have_count(1)  # a fresh greeting
    new_id = page.evaluate("Object.entries(sessionStorage).find(([k]) => k.startsWith('akan-veilederen:'))[1]")
    assert new_id != old_id
    assert status_of(f"{gateway_url}/api/conversations/{old_id}/messages") == 404
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate("localStorage.length") == 0
    shot(page, "06-deleted")


def test_conversation_survives_a_reload_in_the_same_tab(page):
    log = open_chat(page)
    page.get_by_role("button", name=ROLE_BUTTON).click()
    expect(bot_messages(page)).to_have_count(2)  # the reply is in, so the turn is stored
    page.reload()
    log = open_chat(page)
    expect(log.locator(".akan-msg--user")).to_have_text([re.compile(ROLE_BUTTON)])


@pytest.mark.parametrize("width, height, name", [(320, 640, "07-320px"), (640, 400, "08-zoom-200")])
def test_small_screens_and_zoom(browser, gateway_url, width, height, name):
    """320 px wide, and 1280×800 zoomed to 200 % (= 640×400 CSS pixels): everything fits and works."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(gateway_url + "/")
    open_chat(page)
    page.get_by_role("button", name=ROLE_BUTTON).click()
    expect(page.locator(".akan-msg--user")).to_have_count(1)
    for control in ("Send", "Snakk med veileder", "Slett samtalen", "Lukk chatten", "Trenger du hjelp nå?"):
        box = page.get_by_role("button", name=control, exact=True).last.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, control
        assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, control
    overflow = page.evaluate("document.querySelector('.akan-panel').scrollWidth - document.querySelector('.akan-panel').clientWidth")
    assert overflow <= 0, "the chat panel scrolls sideways"
    shot(page, name)
    context.close()

