"""The statistics page and CSV export at the desk (signed-in counsellors only).

Charts in the spirit of Akan's report: «Hvem henvender seg?» (role) and «Hva
henvender de seg om?» (topic), plus substance and outcome, as server-rendered
horizontal bars (SVG rect widths: no inline style, no script, nothing external).
The period is `from`/`to` (YYYY-MM-DD, both included), by default the last 30 days.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import aiohttp_jinja2
from aiohttp import web

from akan_contract.dates import MONTH_NAMES_NB
from bot import keys
from bot.desk.auth import counsellor_required
from bot.statistics import labels, queries
from bot.statistics.recording import day_of

DEFAULT_DAYS = 30
STYLESHEET = Path(__file__).resolve().parent / "static" / "statistics.css"
CSV_COLUMNS = ("date", "role", "topic", "substance", "outcome", "count", "conversations")

routes = web.RouteTableDef()


class PeriodError(ValueError):
    """A period the person typed that cannot be used; the message is Norwegian."""


@dataclass(frozen=True)
class Bar:
    value: str
    label: str
    count: int
    percent: int


def today() -> date:
    return day_of(datetime.now(timezone.utc))


def _date(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise PeriodError(f"«{raw[:20]}» er ikke en gyldig {name}. Skriv datoen som ÅÅÅÅ-MM-DD.") from None


def period(query, now: date) -> tuple[date, date]:
    """The `from`/`to` dates of the query string, or the last 30 days up to `now`."""
    raw_from, raw_to = query.get("from", "").strip(), query.get("to", "").strip()
    end = _date(raw_to, "til-dato") if raw_to else now
    start = _date(raw_from, "fra-dato") if raw_from else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise PeriodError("Fra-datoen må være før eller lik til-datoen.")
    return start, end


def bars(counts: dict[str, int], known: dict[str, str], total: int) -> list[Bar]:
    """Every value of the taxonomy (most first, then taxonomy order), unknown last when there is any."""
    order = list(known)
    values = sorted(known, key=lambda v: (-counts.get(v, 0), order.index(v)))
    if counts.get(labels.UNKNOWN):
        values.append(labels.UNKNOWN)
    return [
        Bar(
            value=value,
            label=labels.label(value, known),
            count=counts.get(value, 0),
            percent=round(100 * counts.get(value, 0) / total) if total else 0,
        )
        for value in values
    ]


def norwegian_date(day: date) -> str:
    return f"{day.day}. {MONTH_NAMES_NB[day.month - 1]} {day.year}"


async def _charts(request: web.Request, start: date, end: date) -> dict:
    async with request.app[keys.DB]() as s:
        total = await queries.count_conversations(s, start, end)
        by_role = await queries.counts_by(s, "role", start, end)
        by_topic = await queries.counts_by(s, "topic", start, end)
        by_substance = await queries.counts_by(s, "substance", start, end)
        by_outcome = await queries.counts_by(s, "outcome", start, end, conversations_only=False)
        by_day = await queries.conversations_by_day(s, start, end)
    return {
        "total": total,
        "charts": [
            ("roles", "Hvem henvender seg?", bars(by_role, labels.ROLES, total)),
            ("topics", "Hva henvender de seg om?", bars(by_topic, labels.TOPICS, total)),
            ("substances", "Hvilke rusmidler eller spill gjelder det?", bars(by_substance, labels.SUBSTANCES, total)),
            ("outcomes", "Hvordan gikk det?", bars(by_outcome, labels.OUTCOMES, total)),
        ],
        # Bar widths relative to the busiest day.
        "by_day": [
            (norwegian_date(day), count, round(100 * count / max(by_day.values())))
            for day, count in by_day.items()
        ],
    }


@routes.get("/desk/statistics")
@counsellor_required
async def statistics_page(request: web.Request) -> web.Response:
    now = today()
    context: dict = {"error": None}
    try:
        start, end = period(request.query, now)
    except PeriodError as exc:
        context["error"] = str(exc)
        context["period_from"] = request.query.get("from", "")[:10]
        context["period_to"] = request.query.get("to", "")[:10]
        return aiohttp_jinja2.render_template("statistics.html", request, context, status=400)
    context.update(
        {
            "period_from": start.isoformat(),
            "period_to": end.isoformat(),
            "period": f"{norwegian_date(start)} – {norwegian_date(end)}",
            **await _charts(request, start, end),
        }
    )
    return aiohttp_jinja2.render_template("statistics.html", request, context)


@routes.get("/desk/statistics.csv")
@counsellor_required
async def statistics_csv(request: web.Request) -> web.Response:
    try:
        start, end = period(request.query, today())
    except PeriodError as exc:
        return web.Response(status=400, text=str(exc), content_type="text/plain")
    async with request.app[keys.DB]() as s:
        cells = await queries.cells(s, start, end)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for c in cells:
        writer.writerow((c.day.isoformat(), c.role, c.topic, c.substance, c.outcome, c.count, c.conversations))
    filename = f"akan-statistikk-{start.isoformat()}-{end.isoformat()}.csv"
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@routes.get("/desk/statistics/statistics.css")
async def statistics_stylesheet(_request: web.Request) -> web.Response:
    return web.Response(text=STYLESHEET.read_text(encoding="utf-8"), content_type="text/css", charset="utf-8")
