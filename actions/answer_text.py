"""How a cell's recommendations become a reply: a short first answer, the rest on request.

A first reply holds at most three points and 160 words, heading and closing line included;
whatever else the cell has waits behind the "Vis flere råd" quick reply. Sources are shown once:
a client that renders the payload's sources (the widget) says so in the message metadata and gets
none in the text; any other channel gets them as one last line.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from actions.knowledge_base import DigitalTool, Entry, KnowledgeBase, Source
from actions.labels import ROLE_HEADINGS, TOPIC_PHRASES
from akan_contract.payloads import METADATA_SOURCES_SHOWN

FIRST_REPLY_WORDS = 160
FIRST_REPLY_POINTS = 3
NEXT_STEP = "Vil du vite mer, velge et annet tema eller snakke med en veileder?"
# After an answer to a topic the message only hinted at: say so, and how to change it.
NEXT_STEP_AFTER_GUESS = (
    "Jeg er ikke helt sikker på at det var dette du lurte på. Gjelder det noe annet, velg et tema "
    "eller skriv med egne ord – eller snakk med en veileder."
)
NO_MORE = (
    "Det var alle rådene materialet har til deg om dette. Vil du velge et annet tema, "
    "eller snakke med en veileder som kan se på akkurat din situasjon?"
)
# The metadata key a client sets when it shows the payload's sources itself.
SOURCES_SHOWN = METADATA_SOURCES_SHOWN

# What each tool helps someone change, for a helper passing the tip on.
_TOOL_HABITS = {"alkohol": "alkoholvanene sine", "spill": "vanene sine med data- og pengespill"}


@dataclass(frozen=True)
class Point:
    """One bullet of a reply: a knowledge-base entry or a self-help tool."""

    id: str
    title: str
    text: str
    source: Source

    def line(self) -> str:
        return f"• **{self.title}**: {self.text.strip()}"

    def words(self) -> int:
        return len(self.line().split())


def entry_point(entry: Entry) -> Point:
    return Point(entry.id, entry.title, entry.text, entry.source)


def tool_point(tool: DigitalTool, role: str) -> Point:
    where = f" ({tool.address})" if tool.address and tool.address != tool.name else ""
    if role == "selv":
        text = f"{tool.description.strip()}{where}"
    else:
        habits = " og ".join(_TOOL_HABITS[s] for s in tool.substances if s in _TOOL_HABITS) or "vanene sine"
        text = (
            f"Et digitalt selvhjelpsverktøy fra Akan kompetansesenter{where} for den som vil endre {habits} "
            "– et godt tips å gi videre."
        )
    return Point(f"verktoy-{tool.name.lower()}", tool.name, text, tool.source)


def tools_for(kb: KnowledgeBase, role: str, topic: str, substance: Optional[str]) -> list[Point]:
    """The self-help tools worth offering: the ones for the named substance, or both on relapse and
    daily support to the person and the occupational health service when no substance is named."""
    if substance:
        chosen = [t for t in kb.digital_tools if substance in t.substances]
    elif role in ("selv", "bht") and topic == "tilbakefall":
        chosen = list(kb.digital_tools)
    else:
        chosen = []
    return [tool_point(t, role) for t in chosen]


def cell_points(kb: KnowledgeBase, role: str, topic: str, substance: Optional[str]) -> list[Point]:
    """Every point for a cell in answer order. The tool for a named substance leads on relapse and
    daily support (where the taxonomy puts self-help); otherwise tools close the list."""
    entries = [entry_point(e) for e in kb.entries_for(role, topic)]
    tools = tools_for(kb, role, topic, substance)
    return [*tools, *entries] if topic == "tilbakefall" and substance else [*entries, *tools]


def heading(role: str, topic: str) -> str:
    return f"{ROLE_HEADINGS[role]}, om {TOPIC_PHRASES[topic]}:"


def words(text: str) -> int:
    return len(text.split())


def first_points(points: list[Point], fixed_words: int) -> list[Point]:
    """The points of a first reply: in order, at most three, within the word budget (always one)."""
    chosen: list[Point] = []
    used = fixed_words
    for point in points:
        if len(chosen) == FIRST_REPLY_POINTS or (chosen and used + point.words() > FIRST_REPLY_WORDS):
            break
        chosen.append(point)
        used += point.words()
    return chosen


def sources_line(sources: Iterable[Source]) -> str:
    """One line naming each document once, with the sections used from it."""
    sections: dict[str, list[str]] = {}
    for source in sources:
        used = sections.setdefault(source.title, [])
        if source.section not in used:
            used.append(source.section)
    parts = [f"{title}: " + ", ".join(f"«{s}»" for s in used) for title, used in sections.items()]
    return ("Kilde: " if len(parts) == 1 else "Kilder: ") + "; ".join(parts)


def citations(points: Iterable[Point]) -> list[str]:
    return list(dict.fromkeys(p.source.citation() for p in points))


def compose(opening: str, points: list[Point], closing: str, with_sources: bool) -> str:
    parts = [opening, "\n".join(p.line() for p in points)] if points else [opening]
    parts.append(closing)
    if with_sources and points:
        parts.append(sources_line(p.source for p in points))
    return "\n\n".join(parts)


def split_cell(role: str, topic: str, points: list[Point]) -> tuple[str, list[Point], list[Point]]:
    """A cell's heading, the points its first reply shows, and the rest (behind "Vis flere råd").

    Both replies take the split from here, so the rest is always exactly what the first left out."""
    opening = heading(role, topic)
    shown = first_points(points, words(opening) + words(NEXT_STEP))
    return opening, shown, points[len(shown):]


def first_reply(
    role: str, topic: str, points: list[Point], with_sources: bool, closing: str = NEXT_STEP
) -> tuple[str, list[Point], bool]:
    """The first reply's text, the points it shows, and whether more are waiting."""
    opening, shown, rest = split_cell(role, topic, points)
    return compose(opening, shown, closing, with_sources), shown, bool(rest)


def more_reply(role: str, topic: str, points: list[Point], with_sources: bool) -> tuple[str, list[Point]]:
    """The rest of a cell after its first reply ("Vis flere råd")."""
    opening, _, rest = split_cell(role, topic, points)
    if not rest:
        return NO_MORE, []
    return compose(f"Flere råd – {opening[0].lower()}{opening[1:]}", rest, NEXT_STEP, with_sources), rest
