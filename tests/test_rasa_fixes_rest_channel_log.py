"""Rasa's REST channel logs a failed message without its text."""
from __future__ import annotations

import structlog
from rasa.core.channels import rest

from rasa_runtime.fixes import rest_channel_log
from rasa_runtime.fixes.rest_channel_log import WithoutText


def test_the_failure_line_keeps_everything_but_the_text(monkeypatch):
    with structlog.testing.capture_logs() as captured:
        logger = WithoutText(structlog.get_logger())
        logger.error("rest.message.received.failure", text="Jeg drikker for mye", sender="a")
        logger.info("rest.message.received.timeout", text="Jeg drikker for mye")
    assert captured == [
        {"event": "rest.message.received.failure", "sender": "a", "log_level": "error"},
        {"event": "rest.message.received.timeout", "log_level": "info"},
    ]


def test_installed_once_on_the_rest_channel(monkeypatch):
    monkeypatch.setattr(rest, "structlogger", rest.structlogger)
    rest_channel_log.apply()
    rest_channel_log.apply()
    assert isinstance(rest.structlogger, WithoutText)
    assert not isinstance(rest.structlogger._logger, WithoutText)
