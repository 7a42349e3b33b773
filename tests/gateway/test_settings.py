"""Settings come from the environment with safe defaults."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, async_db_url


def test_defaults():
    settings = Settings.from_env({})
    assert settings.port == 8080
    assert settings.host == "127.0.0.1"
    assert settings.rasa_urls == ("http://127.0.0.1:5005",)
    assert settings.actions_url == "http://127.0.0.1:5055"
    assert settings.max_message_chars == 2000
    assert settings.gateway_db_url == f"sqlite+aiosqlite:///{Path('var').resolve() / 'gateway.db'}"
    assert settings.allowed_origins == ()
    assert settings.knowledge_dir == Path(__file__).resolve().parents[2] / "data" / "knowledge"


def test_environment_overrides():
    settings = Settings.from_env(
        {
            "GATEWAY_PORT": "9000", "RASA_PORT": "6000", "ACTIONS_PORT": "6001", "VAR_DIR": "/tmp/x",
            "ALLOWED_ORIGINS": "https://a.example, https://b.example/", "GATEWAY_DB_URL": "postgresql://u@h/db",
            "TRACKER_DB_URL": "sqlite:////tmp/x/tracker.db", "RASA_URL": "http://r1:5005,http://r2:5005",
            "KNOWLEDGE_DIR": "/srv/knowledge",
        }
    )
    assert settings.knowledge_dir == Path("/srv/knowledge")
    assert settings.port == 9000
    assert settings.rasa_urls == ("http://r1:5005", "http://r2:5005")
    assert settings.actions_url == "http://127.0.0.1:6001"
    assert settings.allowed_origins == ("https://a.example", "https://b.example")
    assert settings.gateway_db_url == "postgresql+asyncpg://u@h/db"
    assert settings.tracker_async_url == "sqlite+aiosqlite:////tmp/x/tracker.db"


def test_bad_number_is_a_clear_error():
    with pytest.raises(ValueError, match="GATEWAY_PORT"):
        Settings.from_env({"GATEWAY_PORT": "http"})


def test_async_urls_keep_async_drivers():
    assert async_db_url("sqlite+aiosqlite:///x.db") == "sqlite+aiosqlite:///x.db"
    assert async_db_url("postgresql+asyncpg://h/db") == "postgresql+asyncpg://h/db"
