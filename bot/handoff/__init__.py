"""The live handoff to a counsellor: tickets and their queue (`tickets`, `models`)
and the handoff from queue to resume (`flow`), used by the chat and the desk alike.
It imports neither of them (the clock and the transcript's shape sit below all three)."""
