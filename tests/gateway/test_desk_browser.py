"""A real handoff in Chromium with two browser contexts (two people, no shared
cookies): the person asks for a human in the widget, the counsellor signs in at
the desk, accepts, they write to each other, the counsellor ends it, and the
bot is back. Screenshots go to $VAR_DIR/test-output/browser/desk-*.png."""
from __future__ import annotations

from tests.gateway.chromium import SHOTS, TIMEOUT_MS, browser, expect  # noqa: F401 (browser: fixture)


def new_page(browser, errors: list[str], width: int = 1280, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"desk-{name}.png"), full_page=False)


def test_live_handoff_between_the_widget_and_the_desk(browser, live_stack):
    errors: list[str] = []
    desk_context, desk = new_page(browser, errors)
    person_context, person = new_page(browser, errors, width=420, height=760)
    try:
        # The counsellor signs in; a wrong password first is refused.
        desk.goto(live_stack.url + "/desk")
        expect(desk).to_have_url(live_stack.url + "/desk/login")
        desk.get_by_label("Brukernavn").fill(live_stack.counsellor)
        desk.get_by_label("Passord").fill("ikke-riktig-passord")
        desk.get_by_role("button", name="Logg inn").click()
        expect(desk.get_by_role("alert")).to_contain_text("Feil brukernavn eller passord")
        desk.get_by_label("Passord").fill(live_stack.counsellor_password)
        desk.get_by_role("button", name="Logg inn").click()
        expect(desk).to_have_url(live_stack.url + "/desk")
        expect(desk.locator("#desk-status")).to_contain_text("tilgjengelig")
        shot(desk, "1-signed-in")

        # The person asks for a human and sees their place in the queue.
        person.goto(live_stack.url + "/")
        person.get_by_role("button", name="Chat med Akan-veilederen").click()
        log = person.get_by_role("log")
        expect(log).to_contain_text("chatbot")
        person.get_by_label("Skriv meldingen din").fill("Jeg er leder og lurer på om vi kan rusteste ansatte")
        person.get_by_role("button", name="Send").click()
        expect(person.locator(".akan-msg--bot")).to_have_count(2)
        person.locator(".akan-actions").get_by_role("button", name="Snakk med veileder").click()
        status = person.locator(".akan-handoff")
        expect(status).to_contain_text("Du er nummer 1 i køen")
        expect(status.get_by_role("button", name="Avbryt")).to_be_visible()
        expect(person.locator(".akan-actions").get_by_role("button", name="Snakk med veileder")).to_be_hidden()
        shot(person, "2-person-queued")

        # The desk sees the anonymous summary, reads the conversation so far (the bot's
        # replies included, in order) and accepts.
        ticket = desk.locator("#queue .desk-ticket")
        expect(ticket).to_have_count(1)
        expect(ticket).to_contain_text("Leder/HR")
        expect(ticket).to_contain_text("rusteste")
        shot(desk, "3-queue")
        ticket.get_by_role("button", name="Les samtalen").click()
        desk_log = desk.locator("#chat-log")
        expect(desk_log.locator(".desk-msg-bot").first).to_contain_text("chatbot")
        expect(desk.locator("#chat-form")).to_be_hidden()  # reading only, until taken
        ticket.get_by_role("button", name="Ta samtalen").click()
        expect(desk.locator("#chat")).to_be_visible()
        expect(desk.locator("#chat-form")).to_be_visible()
        expect(status).to_contain_text("Du snakker nå med en veileder")
        senders = desk_log.locator(".desk-msg-from").all_inner_texts()
        assert senders[:2] == ["Boten", "Personen"] and senders.count("Boten") >= 3, senders
        expect(desk_log.locator(".desk-msg-user").first).to_contain_text("rusteste")
        expect(desk_log.locator(".desk-msg-bot").first).to_contain_text("chatbot")
        expect(desk_log.locator(".desk-handoff-mark")).to_have_text("Overført til veileder")
        shot(desk, "3b-transcript")

        # They write to each other; markup stays text on both sides.
        person.get_by_label("Skriv meldingen din").fill("Hei! Er <b>du</b> en ekte person?")
        person.get_by_role("button", name="Send").click()
        expect(desk_log).to_contain_text("Hei! Er <b>du</b> en ekte person?")
        desk.get_by_label("Skriv til personen").fill("Ja, jeg er veileder hos Akan. Fortell gjerne mer.")
        desk.get_by_role("button", name="Send").click()
        counsellor_bubble = person.locator(".akan-msg--counsellor")
        expect(counsellor_bubble).to_contain_text("Veileder")
        expect(counsellor_bubble).to_contain_text("Ja, jeg er veileder hos Akan.")
        assert person.locator(".akan-msg b").count() == 0 and desk.locator("#chat-log b").count() == 0
        shot(person, "4-person-live")
        shot(desk, "5-desk-live")

        # The counsellor ends it; the bot is back and answers again.
        desk.get_by_role("button", name="Avslutt samtalen").click()
        expect(desk_log).to_contain_text("Boten har tatt over igjen")
        expect(log).to_contain_text("Nå er det meg, chatboten, igjen")
        expect(status).to_be_hidden()
        expect(person.locator(".akan-actions").get_by_role("button", name="Snakk med veileder")).to_be_visible()
        bots_before = person.locator(".akan-msg--bot").count()
        person.get_by_label("Skriv meldingen din").fill("Hvordan kan jeg følge opp en ansatt som jobber på hjemmekontor?")
        person.get_by_role("button", name="Send").click()
        expect(person.locator(".akan-msg--bot")).to_have_count(bots_before + 1)
        expect(person.locator(".akan-msg--bot").last).to_contain_text("hjemmekontor")
        shot(person, "6-bot-back")

        desk.get_by_role("button", name="Logg ut").click()
        expect(desk).to_have_url(live_stack.url + "/desk/login")
    finally:
        person_context.close()
        desk_context.close()
    assert not errors, errors
