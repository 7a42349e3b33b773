"""The Rasa launcher keeps secrets off the command line: `run --enable-api` gets its token
from RASA_TOKEN inside the process, a token on the command line is refused, and an API
without a token is never started. Its files are private (umask 077)."""
from __future__ import annotations

import os
import sys

import pytest
import rasa.__main__

import rasa_runtime.fixes
from services import rasa_launcher
from services.rasa_launcher import LaunchError, rasa_arguments

RUN = ["run", "--model", "models/akan.tar.gz", "--enable-api", "-p", "5005"]


def test_the_token_comes_from_the_environment():
    assert rasa_arguments(RUN, {"RASA_TOKEN": "abc"}) == [*RUN, "--auth-token", "abc"]


@pytest.mark.parametrize("option", [["--auth-token", "abc"], ["--auth-token=abc"], ["-t", "abc"], ["-tabc"], ["--auth", "abc"]])
def test_a_token_on_the_command_line_is_refused(option):
    with pytest.raises(LaunchError, match="never pass the API token on the command line"):
        rasa_arguments([*RUN, *option], {"RASA_TOKEN": "abc"})


def test_the_api_without_a_token_is_refused():
    with pytest.raises(LaunchError, match="RASA_TOKEN"):
        rasa_arguments(RUN, {"RASA_TOKEN": "  "})


def test_other_commands_get_no_token():
    command = ["test", "core", "--model", "models/akan.tar.gz"]
    assert rasa_arguments(command, {"RASA_TOKEN": "abc"}) == command
    assert rasa_arguments(["run", "--model", "m"], {"RASA_TOKEN": "abc"}) == ["run", "--model", "m"]


def test_rasa_gets_the_token_and_files_are_private(monkeypatch):
    seen = {}

    def rasa_main():
        seen["argv"] = list(sys.argv)
        seen["umask"] = os.umask(0o022)
        return 0

    previous = os.umask(0o022)
    try:
        monkeypatch.setattr(rasa_runtime.fixes, "install", lambda env=None, training=False: [])
        monkeypatch.setattr(rasa.__main__, "main", rasa_main)
        monkeypatch.setattr(sys, "argv", ["launcher", *RUN])
        monkeypatch.setenv("RASA_TOKEN", "abc")
        assert rasa_launcher.main() == 0
    finally:
        os.umask(previous)
    assert seen == {"argv": ["rasa", *RUN, "--auth-token", "abc"], "umask": 0o077}


def test_a_refused_command_line_does_not_start_rasa(monkeypatch, capsys):
    monkeypatch.setattr(rasa_runtime.fixes, "install", lambda env=None, training=False: [])
    monkeypatch.setattr(rasa.__main__, "main", lambda: pytest.fail("Rasa started"))
    monkeypatch.setattr(sys, "argv", ["launcher", *RUN, "--auth-token", "abc"])
    previous = os.umask(0o022)
    try:
        assert rasa_launcher.main() == 2
    finally:
        os.umask(previous)
    assert "error: never pass the API token" in capsys.readouterr().err


@pytest.mark.parametrize("command, training", [(["train", "--config", "config.yml"], True), (RUN, False)])
def test_training_gets_the_training_fixes_and_a_running_rasa_the_others(monkeypatch, command, training):
    asked = []
    monkeypatch.setattr(rasa_runtime.fixes, "install", lambda env=None, training=False: asked.append(training) or [])
    monkeypatch.setattr(rasa.__main__, "main", lambda: 0)
    monkeypatch.setattr(sys, "argv", ["launcher", *command])
    monkeypatch.setenv("RASA_TOKEN", "abc")
    previous = os.umask(0o022)
    try:
        assert rasa_launcher.main() == 0
    finally:
        os.umask(previous)
    assert asked == [training]
