"""The REST channel's error log lines without the person's message.

When handling a message fails (a timeout, or the tracker store unreachable), Rasa's
REST channel logs the error together with the message text. Our logs hold events,
never what people wrote: the channel's log lines keep everything but `text`.
"""
from __future__ import annotations

from typing import Any

from rasa.core.channels import rest

from rasa_runtime.fixes.tripwire import Fix


class WithoutText:
    """A structlog logger whose events never carry a `text` field."""

    def __init__(self, logger: Any) -> None:
        self._logger = logger

    def __getattr__(self, level: str) -> Any:
        method = getattr(self._logger, level)
        if not callable(method):
            return method

        def log(event: str, *args: Any, **fields: Any) -> Any:
            fields.pop("text", None)
            return method(event, *args, **fields)

        return log


def apply() -> None:
    """Install the fix, unchecked (`rasa_runtime.fixes.install` checks it first)."""
    if not isinstance(rest.structlogger, WithoutText):
        rest.structlogger = WithoutText(rest.structlogger)


FIX = Fix(
    name="rest_channel_log",
    originals={
        # Where the channel logs a failed message with its text.
        "rasa.core.channels.rest:RestInput.blueprint": "886a9338e4c2505a0d2e70242c27887311d1529a18037dbd6d1dbfe77f699d0f",
    },
    apply=apply,
)
