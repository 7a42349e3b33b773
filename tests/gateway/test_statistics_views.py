"""The statistics page and CSV export: counts from conversations through the real
gateway (scripted Rasa), period filter, sign-in required."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from bot import keys
from bot.clock import utcnow
from bot.desk.accounts import add_counsellor
from bot.statistics.recording import day_of

pytestmark = pytest.mark.asyncio

PASSWORD = "et langt og hemmelig passord"
LEADER = '/ask_advice{"role": "leder"}'


async def sign_in(client, name: str = "kari") -> None:
    async with client.server.app[keys.DB]() as s, s.begin():
        await add_counsellor(s, name, PASSWORD, utcnow())
    page = await (await client.get("/desk/login")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = await client.post(
        "/desk/login", data={"name": name, "password": PASSWORD, "csrf_token": token}, allow_redirects=False
    )
    assert response.status in (302, 303), await response.text()


async def say(client, conversation_id: str, **body) -> list[dict]:
    response = await client.post(f"/api/conversations/{conversation_id}/messages", json=body)
    assert response.status == 200, await response.text()
    return (await response.json())["messages"]


async def scripted_conversations(client, start) -> None:
    """Two leaders get advice (one asks again, then for a human), one person in crisis,
    one who only says hello."""
    first = await start(client)
    await say(client, first, button=LEADER)
    await say(client, first, button='/ask_advice{"topic": "hjemmekontor"}')
    await say(client, first, button="/request_human")
    second = await start(client)
    await say(client, second, button=LEADER)
    crisis = await start(client)
    await say(client, crisis, text="jeg er i krise, blåbær")
    await say(client, crisis, text="fortsatt krise, tyttebær")
    quiet = await start(client)
    await say(client, quiet, text="hei multebær")


def chart(page: str, name: str) -> dict[str, tuple[int, int]]:
    """{value: (count, percent)} of one chart on the page."""
    section = page.split(f'aria-labelledby="chart-{name}"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r'<tr data-value="([a-z_]+)">.*?<td class="stats-count">(\d+)</td>\s*<td class="stats-percent">(\d+) %</td>',
        section, flags=re.S,
    )
    return {value: (int(count), int(percent)) for value, count, percent in rows}


async def test_pages_need_a_signed_in_counsellor(client):
    for path in ("/desk/statistics", "/desk/statistics.csv", "/desk/statistics.csv?from=2026-01-01"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 302
        assert response.headers["Location"] == "/desk/login"
    response = await client.get("/desk/statistics", headers={"Accept": "application/json"})
    assert response.status == 401


async def test_page_shows_the_scripted_conversations(client, start):
    await scripted_conversations(client, start)
    await sign_in(client)
    response = await client.get("/desk/statistics")
    assert response.status == 200
    page = await response.text()
    assert "Hvem henvender seg?" in page and "Hva henvender de seg om?" in page
    assert "<strong>3</strong> henvendelser" in page
    assert chart(page, "roles") == {
        "leder": (2, 67), "kollega": (0, 0), "parorende": (0, 0), "selv": (0, 0), "bht": (0, 0),
        "ansattrepresentant": (0, 0), "behandler": (0, 0), "ukjent": (1, 33),
    }
    assert chart(page, "topics")["hjemmekontor"] == (2, 67)
    assert chart(page, "topics")["ukjent"] == (1, 33)
    assert chart(page, "substances") == {
        "alkohol": (0, 0), "narkotika": (0, 0), "legemidler": (0, 0), "spill": (0, 0), "ukjent": (3, 100),
    }
    outcomes = chart(page, "outcomes")
    assert outcomes["answered"] == (2, 67)
    assert outcomes["crisis"] == (1, 33)
    assert outcomes["unavailable"] == (1, 33)
    assert outcomes["handed_off"] == (0, 0) and outcomes["abandoned"] == (0, 0)
    # Bars are SVG widths: no inline style for the desk's Content-Security-Policy to block.
    assert 'width="67"' in page and "style=" not in page
    assert "/desk/statistics/statistics.css" in page
    css = await client.get("/desk/statistics/statistics.css")
    assert css.status == 200 and css.content_type == "text/css"
    # Nothing the people wrote reaches the page.
    assert "bær" not in page


async def test_csv_export_has_one_row_per_cell(client, start):
    await scripted_conversations(client, start)
    await sign_in(client)
    response = await client.get("/desk/statistics.csv")
    assert response.status == 200
    assert response.content_type == "text/csv"
    today = day_of(utcnow())
    start_day = today - timedelta(days=29)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="akan-statistikk-{start_day.isoformat()}-{today.isoformat()}.csv"'
    )
    rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows[0] == ["date", "role", "topic", "substance", "outcome", "count", "conversations"]
    day = today.isoformat()
    assert sorted(rows[1:]) == sorted([
        [day, "leder", "hjemmekontor", "ukjent", "answered", "2", "2"],
        [day, "leder", "hjemmekontor", "ukjent", "unavailable", "1", "0"],
        [day, "ukjent", "ukjent", "ukjent", "crisis", "1", "1"],
    ])


async def test_period_filter(client, start):
    await scripted_conversations(client, start)
    await sign_in(client)
    today = day_of(utcnow())
    future = (today + timedelta(days=1)).isoformat()
    page = await (await client.get(f"/desk/statistics?from={future}&to={future}")).text()
    assert "<strong>0</strong> henvendelser" in page
    assert "Ingen henvendelser i perioden." in page
    assert f'name="from" value="{future}"' in page and f'name="to" value="{future}"' in page
    assert f"/desk/statistics.csv?from={future}&amp;to={future}" in page
    assert chart(page, "roles")["leder"] == (0, 0)
    csv_rows = (await (await client.get(f"/desk/statistics.csv?from={future}&to={future}")).text()).splitlines()
    assert csv_rows == ["date,role,topic,substance,outcome,count,conversations"]
    page = await (await client.get(f"/desk/statistics?from={today.isoformat()}&to={today.isoformat()}")).text()
    assert "<strong>3</strong> henvendelser" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "ikke en gyldig fra-dato"),
        ("to=i%20går", "ikke en gyldig til-dato"),
        ("from=2026-11-20&to=2026-11-01", "før eller lik til-datoen"),
    ],
)
async def test_bad_period_is_a_clear_error(client, query, message):
    await sign_in(client)
    response = await client.get(f"/desk/statistics?{query}")
    assert response.status == 400
    assert message in await response.text()
    response = await client.get(f"/desk/statistics.csv?{query}")
    assert response.status == 400
    assert message in await response.text()


async def test_deleting_a_conversation_keeps_its_counts(client, start):
    conversation_id = await start(client)
    await say(client, conversation_id, button=LEADER)
    assert (await client.delete(f"/api/conversations/{conversation_id}")).status == 204
    await sign_in(client)
    page = await (await client.get("/desk/statistics")).text()
    assert chart(page, "roles")["leder"] == (1, 100)
