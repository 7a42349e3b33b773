"""Knowledge base: Akan's recommendations as validated, read-only data.

The recommendations live in YAML under data/knowledge/ so that content can be
reviewed and changed without touching code. This module loads them once,
rejects anything that breaks the taxonomy contract, and answers the one
question the action server asks: what may we say to this role about this topic?
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from akan_contract.crisis_lines import CrisisLine, CrisisLinesError, crisis_lines_from
from akan_contract.taxonomy import ROLES, SUBSTANCES, TOPICS

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRECTORY = PROJECT_ROOT / "data" / "knowledge"

# Files with a fixed role; every other *.yml must be listed in index.yml.
INDEX_FILE = "index.yml"
SOURCES_FILE = "sources.yml"
CONTACTS_FILE = "contacts.yml"
NO_RECOMMENDATION_FILE = "no_recommendation.yml"
SPECIAL_FILES = frozenset({INDEX_FILE, SOURCES_FILE, CONTACTS_FILE, NO_RECOMMENDATION_FILE})

_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ENTRY_KEYS = frozenset({"id", "roles", "topics", "title", "text", "source"})
_CONTEXT_KEYS = frozenset({"id", "topics", "title", "text", "source"})


class KnowledgeBaseError(ValueError):
    """The knowledge base files are missing, malformed or break the contract."""


@dataclass(frozen=True)
class Source:
    document: str
    section: str
    file: str
    title: str

    def citation(self) -> str:
        """Human-readable reference shown next to a recommendation."""
        return f"{self.title}, «{self.section}»"


@dataclass(frozen=True)
class Entry:
    id: str
    roles: tuple[str, ...]
    topics: tuple[str, ...]
    title: str
    text: str
    source: Source


@dataclass(frozen=True)
class DigitalTool:
    """A self-help tool named in the material, with the substances it targets."""

    name: str
    substances: tuple[str, ...]
    description: str
    address: str | None
    source: Source


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    context_entries: tuple[Entry, ...]
    route_to_counsellor_topics: tuple[str, ...]
    akan_phone: str
    akan_email: str
    akan_chat: str
    akan_source: Source
    crisis_contacts: tuple[CrisisLine, ...]
    digital_tools: tuple[DigitalTool, ...]
    documents: Mapping[str, Source] = field(repr=False)
    _cells: Mapping[tuple[str, str], tuple[Entry, ...]] = field(init=False, repr=False, compare=False)
    _by_id: Mapping[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cells: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.entries:
            for role in entry.roles:
                for topic in entry.topics:
                    cells.setdefault((role, topic), []).append(entry)
        object.__setattr__(self, "_cells", {key: tuple(value) for key, value in cells.items()})
        by_id = {entry.id: entry for entry in (*self.entries, *self.context_entries)}
        object.__setattr__(self, "_by_id", by_id)

    def entries_for(self, role: str, topic: str) -> list[Entry]:
        """Recommendations for one role × topic cell, in answer (file) order."""
        _check_value("role", role, ROLES)
        _check_value("topic", topic, TOPICS)
        return list(self._cells.get((role, topic), ()))

    def routes_to_counsellor(self, role: str | None, topic: str) -> bool:
        """Whether the material has nothing to recommend, so a counsellor should take it.

        Without a role only the topic can decide; the caller should ask for the
        role before concluding that an answerable topic has no recommendation.
        """
        _check_value("topic", topic, TOPICS)
        if topic in self.route_to_counsellor_topics:
            return True
        if role is None:
            return False
        return not self.entries_for(role, topic)

    def context_for(self, topic: str) -> list[Entry]:
        """What the material does say about a topic it gives no recommendation on."""
        _check_value("topic", topic, TOPICS)
        return [entry for entry in self.context_entries if topic in entry.topics]

    def entry(self, entry_id: str) -> Entry:
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise KeyError(f"no knowledge base entry with id {entry_id!r}") from None


def _check_value(kind: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {kind} {value!r}; expected one of {', '.join(allowed)}")


def load_knowledge_base(directory: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base; fail loudly rather than answer wrongly.

    The directory defaults to $KNOWLEDGE_DIR, else <project>/data/knowledge.
    """
    if directory is None:
        env_dir = os.environ.get("KNOWLEDGE_DIR")
        directory = Path(env_dir) if env_dir else DEFAULT_DIRECTORY
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeBaseError(f"knowledge base directory not found: {directory}")

    documents = _load_sources(directory)
    entry_files = _load_index(directory)
    seen_ids: dict[str, str] = {}

    entries: list[Entry] = []
    for name in entry_files:
        entries.extend(_load_entry_file(directory / name, documents, seen_ids))

    route_topics, context = _load_no_recommendation(directory, documents, seen_ids)
    _check_no_entries_for_routed_topics(entries, route_topics, seen_ids)
    contacts = _load_contacts(directory, documents)

    kb = KnowledgeBase(
        entries=tuple(entries),
        context_entries=tuple(context),
        route_to_counsellor_topics=route_topics,
        documents=documents,
        **contacts,
    )
    logger.info(
        "knowledge_base.loaded entries=%d context=%d files=%d",
        len(kb.entries),
        len(kb.context_entries),
        len(entry_files),
    )
    return kb


# --- file readers -----------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    if not path.is_file():
        raise KnowledgeBaseError(f"{path.name}: file is missing in {path.parent}")
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise KnowledgeBaseError(f"{path.name}: invalid YAML: {error}") from error


def _require_mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise KnowledgeBaseError(f"{where}: expected a mapping, got {type(value).__name__}")
    return value


def _require_text(mapping: Mapping[str, Any], key: str, where: str) -> str:
    if key not in mapping:
        raise KnowledgeBaseError(f"{where}: missing field '{key}'")
    value = mapping[key]
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: field '{key}' must be a non-empty string, got {value!r}")
    return value.strip()


def _require_values(
    mapping: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str
) -> tuple[str, ...]:
    if key not in mapping:
        raise KnowledgeBaseError(f"{where}: missing field '{key}'")
    values = mapping[key]
    if not isinstance(values, list) or not values:
        raise KnowledgeBaseError(f"{where}: field '{key}' must be a non-empty list")
    for value in values:
        if value not in allowed:
            raise KnowledgeBaseError(
                f"{where}: unknown {key[:-1]} {value!r}; expected one of {', '.join(allowed)}"
            )
    if len(set(values)) != len(values):
        raise KnowledgeBaseError(f"{where}: field '{key}' lists a value twice")
    return tuple(values)


def _load_sources(directory: Path) -> dict[str, Source]:
    where = SOURCES_FILE
    data = _require_mapping(_read_yaml(directory / SOURCES_FILE), where)
    raw_documents = _require_mapping(data.get("documents"), f"{where}: documents")
    documents: dict[str, Source] = {}
    for key, raw in raw_documents.items():
        if not isinstance(key, str):
            raise KnowledgeBaseError(f"{where}: document key {key!r} must be a quoted string")
        item_where = f"{where}: document {key!r}"
        raw = _require_mapping(raw, item_where)
        documents[key] = Source(
            document=key,
            section="",
            file=_require_text(raw, "file", item_where),
            title=_require_text(raw, "title", item_where),
        )
    if not documents:
        raise KnowledgeBaseError(f"{where}: no documents")
    return documents


def _load_index(directory: Path) -> tuple[str, ...]:
    """Entry files in answer order; unlisted or missing files are errors, not surprises."""
    where = INDEX_FILE
    data = _require_mapping(_read_yaml(directory / INDEX_FILE), where)
    files = data.get("files")
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise KnowledgeBaseError(f"{where}: 'files' must be a non-empty list of file names")
    if len(set(files)) != len(files):
        raise KnowledgeBaseError(f"{where}: a file is listed twice")
    listed = set(files)
    for name in files:
        if name in SPECIAL_FILES:
            raise KnowledgeBaseError(f"{where}: {name} is not an entry file")
        if not (directory / name).is_file():
            raise KnowledgeBaseError(f"{where}: listed file {name} does not exist")
    for path in sorted(directory.glob("*.yml")):
        if path.name not in SPECIAL_FILES and path.name not in listed:
            raise KnowledgeBaseError(f"{path.name}: not listed in {INDEX_FILE}")
    return tuple(files)


def _parse_source(raw: Any, documents: Mapping[str, Source], where: str) -> Source:
    if raw is None:
        raise KnowledgeBaseError(f"{where}: missing field 'source'")
    raw = _require_mapping(raw, f"{where}: source")
    if "document" not in raw:
        raise KnowledgeBaseError(f"{where}: source is missing 'document'")
    document = raw["document"]
    if not isinstance(document, str):
        raise KnowledgeBaseError(
            f"{where}: source document {document!r} must be a quoted string such as \"000\""
        )
    if document not in documents:
        raise KnowledgeBaseError(
            f"{where}: unknown source document {document!r}; known: {', '.join(documents)}"
        )
    section = _require_text(raw, "section", f"{where}: source")
    known = documents[document]
    return Source(document=document, section=section, file=known.file, title=known.title)


def _entries_list(data: Any, key: str, where: str) -> list[Any]:
    data = _require_mapping(data, where)
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise KnowledgeBaseError(f"{where}: '{key}' must be a non-empty list")
    return items


def _parse_entry(
    raw: Any,
    index: int,
    file_name: str,
    documents: Mapping[str, Source],
    seen_ids: dict[str, str],
    *,
    context: bool,
) -> Entry:
    where = f"{file_name}: entry #{index + 1}"
    raw = _require_mapping(raw, where)
    entry_id = _require_text(raw, "id", where)
    where = f"{file_name}: entry '{entry_id}'"
    if not _ID_PATTERN.match(entry_id):
        raise KnowledgeBaseError(f"{where}: id must be lowercase-kebab (a-z, 0-9, '-')")
    if entry_id in seen_ids:
        raise KnowledgeBaseError(f"{where}: duplicate id (already used in {seen_ids[entry_id]})")
    allowed_keys = _CONTEXT_KEYS if context else _ENTRY_KEYS
    unknown = set(raw) - allowed_keys
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    roles = ROLES if context else _require_values(raw, "roles", ROLES, where)
    entry = Entry(
        id=entry_id,
        roles=roles,
        topics=_require_values(raw, "topics", TOPICS, where),
        title=_require_text(raw, "title", where),
        text=" ".join(_require_text(raw, "text", where).split()),
        source=_parse_source(raw.get("source"), documents, where),
    )
    seen_ids[entry_id] = file_name
    return entry


def _load_entry_file(
    path: Path, documents: Mapping[str, Source], seen_ids: dict[str, str]
) -> list[Entry]:
    items = _entries_list(_read_yaml(path), "entries", path.name)
    return [
        _parse_entry(raw, i, path.name, documents, seen_ids, context=False)
        for i, raw in enumerate(items)
    ]


def _load_no_recommendation(
    directory: Path, documents: Mapping[str, Source], seen_ids: dict[str, str]
) -> tuple[tuple[str, ...], list[Entry]]:
    where = NO_RECOMMENDATION_FILE
    data = _require_mapping(_read_yaml(directory / NO_RECOMMENDATION_FILE), where)
    route_topics = _require_values(data, "route_to_counsellor_topics", TOPICS, where)
    items = _entries_list(data, "context", where)
    context = [
        _parse_entry(raw, i, where, documents, seen_ids, context=True) for i, raw in enumerate(items)
    ]
    for entry in context:
        stray = [topic for topic in entry.topics if topic not in route_topics]
        if stray:
            raise KnowledgeBaseError(
                f"{where}: entry '{entry.id}': topic(s) {', '.join(stray)} do not route to a counsellor"
            )
    for topic in route_topics:
        if not any(topic in entry.topics for entry in context):
            raise KnowledgeBaseError(f"{where}: topic {topic!r} has no context entry")
    return route_topics, context


def _check_no_entries_for_routed_topics(
    entries: Iterable[Entry], route_topics: tuple[str, ...], seen_ids: Mapping[str, str]
) -> None:
    """A routed topic must never also get recommendations; that would contradict the answer."""
    for entry in entries:
        routed = [topic for topic in entry.topics if topic in route_topics]
        if routed:
            raise KnowledgeBaseError(
                f"{seen_ids[entry.id]}: entry '{entry.id}': topic(s) {', '.join(routed)} "
                f"route to a counsellor; put what the material says in {NO_RECOMMENDATION_FILE}"
            )


def _load_contacts(directory: Path, documents: Mapping[str, Source]) -> dict[str, Any]:
    where = CONTACTS_FILE
    data = _require_mapping(_read_yaml(directory / CONTACTS_FILE), where)

    akan = _require_mapping(data.get("akan"), f"{where}: akan")
    akan_where = f"{where}: akan"

    try:
        crisis = crisis_lines_from(data, where)
    except CrisisLinesError as exc:
        raise KnowledgeBaseError(str(exc)) from None

    raw_tools = data.get("digital_tools")
    if not isinstance(raw_tools, list) or not raw_tools:
        raise KnowledgeBaseError(f"{where}: 'digital_tools' must be a non-empty list")
    tools = []
    for i, raw in enumerate(raw_tools):
        item_where = f"{where}: digital tool #{i + 1}"
        raw = _require_mapping(raw, item_where)
        name = _require_text(raw, "name", item_where)
        item_where = f"{where}: digital tool '{name}'"
        address = raw.get("address")
        if address is not None and (not isinstance(address, str) or not address.strip()):
            raise KnowledgeBaseError(f"{item_where}: 'address' must be a non-empty string if given")
        tools.append(
            DigitalTool(
                name=name,
                substances=_require_values(raw, "substances", SUBSTANCES, item_where),
                description=" ".join(_require_text(raw, "description", item_where).split()),
                address=address,
                source=_parse_source(raw.get("source"), documents, item_where),
            )
        )

    return {
        "akan_phone": _require_text(akan, "phone", akan_where),
        "akan_email": _require_text(akan, "email", akan_where),
        "akan_chat": _require_text(akan, "chat", akan_where),
        "akan_source": _parse_source(akan.get("source"), documents, akan_where),
        "crisis_contacts": tuple(crisis),
        "digital_tools": tuple(tools),
    }
