"""Open handoff tickets per client address (issue 18, finding 6): one client may have
at most HANDOFF_MAX_OPEN_PER_CLIENT waiting or active tickets at once, so fake crisis
requests from one place cannot push a real one back in the queue until it times out.

Which client opened which conversation's ticket is kept in memory only, and only while
the ticket is open; it is never stored or logged (a restart forgets it). Whether a ticket
is still open is read from the database when it matters, so every way a ticket ends
(the counsellor, the person, the timeout, a deletion) counts without telling this
module; `forget_closed` drops what has ended.
"""
from __future__ import annotations

import asyncio


class OpenTicketsPerClient:
    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._conversations: dict[str, set[str]] = {}
        # Taken around "count, then open a ticket", so two requests at once cannot both pass.
        self.lock = asyncio.Lock()

    def conversations(self, client: str) -> set[str]:
        """The conversations whose ticket `client` opened and that may still be open."""
        return set(self._conversations.get(client, ()))

    def add(self, client: str, conversation_id: str) -> None:
        self._conversations.setdefault(client, set()).add(conversation_id)

    def forget_closed(self, still_open: set[str], client: str | None = None) -> None:
        """Keep only the conversations in `still_open` (of `client`, or of every client)."""
        for key in [client] if client is not None else list(self._conversations):
            kept = self._conversations.get(key, set()) & still_open
            if kept:
                self._conversations[key] = kept
            else:
                self._conversations.pop(key, None)

    def __len__(self) -> int:
        return len(self._conversations)
