"""What the bot and the gateway say to each other besides text (SPEC "Conversation behaviour").

Bot → gateway: a reply's custom payload, `{"type": ...}`:
- `recommendations`: `{"type", "role", "topic", "substance", "ids", "sources"}`;
- `crisis`: `{"type", "third_person", "role", "contacts"}`;
- `handoff`: `{"type", "status", "reason", "contacts"}`, status `queued` (plus `summary`:
  role/topic/substance; the gateway opens a ticket), `unavailable` (nobody can take over now)
  or `closed` (the bot is back after a handoff, plus `outcome`).

Gateway → widget: `handoff` frames with status `queued` (plus `position`), `active` (a
counsellor took over) and `ended` (plus `outcome`).

Gateway → bot: message metadata (`desk`: `available`, `open`, `opens_next`; `sources_shown`),
and when a handoff ends, the external intent `EXTERNAL_handoff_ended` with the entity
`handoff_outcome` (`ended`, `cancelled` or `timeout`).
"""
from __future__ import annotations

# Custom payload types.
RECOMMENDATIONS = "recommendations"
CRISIS = "crisis"
HANDOFF = "handoff"

# Handoff statuses: the bot's payloads...
QUEUED = "queued"
UNAVAILABLE = "unavailable"
CLOSED = "closed"
# ...and the gateway's frames to the widget.
ACTIVE = "active"
ENDED = "ended"

# Why the bot offers or queues a handoff (`reason`).
REASON_REQUEST_HUMAN = "request_human"
REASON_CRISIS = "crisis"
REASON_MISUNDERSTOOD = "misunderstood"
REASON_HANDOFF_ENDED = "handoff_ended"

# The person's own "snakk med veileder" button: the intent as a Rasa button payload.
REQUEST_HUMAN_INTENT = "request_human"
REQUEST_HUMAN_PAYLOAD = "/" + REQUEST_HUMAN_INTENT

# How the gateway resumes the bot after a handoff, and how the handoff ended.
RESUME_INTENT = "EXTERNAL_handoff_ended"
OUTCOME_ENTITY = "handoff_outcome"
OUTCOME_ENDED = "ended"
OUTCOME_CANCELLED = "cancelled"
OUTCOME_TIMEOUT = "timeout"
HANDOFF_OUTCOMES = (OUTCOME_ENDED, OUTCOME_CANCELLED, OUTCOME_TIMEOUT)

# Message metadata the gateway sends with every message.
METADATA_DESK = "desk"
METADATA_SOURCES_SHOWN = "sources_shown"
