"""Gateway configuration, read once from the environment (see .env.example)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from bot.client_address import TrustedProxies
from bot.crisis_lines import DEFAULT_KNOWLEDGE_DIR
from bot.opening_hours import DEFAULT_SPEC, DEFAULT_TZ, OpeningHours


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {raw!r}") from None


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(item.strip().rstrip("/") for item in env.get(name, "").split(",") if item.strip())


def async_db_url(url: str) -> str:
    """Turn a plain SQLAlchemy URL (as Rasa uses) into its asyncio-driver form."""
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url[len("sqlite:///"):]
    for plain in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url[len(plain):]
    return url


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    var_dir: Path = Path("var")
    # One or more Rasa servers; a conversation always goes to the same one.
    rasa_urls: tuple[str, ...] = ("http://127.0.0.1:5005",)
    actions_url: str = "http://127.0.0.1:5055"
    db_url: str = ""
    # Rasa's tracker store; empty means "no tracker store to clean" (unit tests).
    tracker_db_url: str = ""
    allowed_origins: tuple[str, ...] = ()
    public_url: str = ""
    max_message_chars: int = 2000
    max_body_bytes: int = 64 * 1024
    rate_conversation_per_minute: int = 20
    rate_conversation_burst: int = 6
    rate_client_per_minute: int = 300
    rate_client_burst: int = 60
    rasa_timeout_seconds: int = 30
    # WebSockets (bot/sockets.py): per conversation (and per desk sign-in) the oldest makes way
    # beyond the first; per client address (chat and desk together) more are refused; a push
    # waits this long for a socket, which is then cut off.
    ws_max_per_conversation: int = 5
    ws_max_per_client: int = 50
    ws_send_timeout_seconds: float = 5.0
    retention_hours: int = 24
    retention_check_seconds: int = 600
    help_phone: str = "22 40 28 00"
    # The knowledge base, shared with the action server: the widget's help and the
    # demo page list the crisis lines of its contacts.yml.
    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    # When counsellors can be reached (Europe/Oslo, Norwegian public holidays closed).
    opening_hours: OpeningHours = field(default_factory=lambda: OpeningHours.parse(DEFAULT_SPEC))
    # Token for Rasa's HTTP API (pause/resume of a handed-off conversation).
    rasa_token: str = ""
    # Counsellor desk: how long a handoff may wait, sign-in sessions, login throttling, presence.
    handoff_wait_minutes: int = 10
    handoff_check_seconds: int = 30
    # Open (waiting or active) handoff tickets one client address may have at once; beyond, the
    # person is told so, with the crisis lines (a flood of fake crisis tickets cannot push a real one back).
    handoff_max_open_per_client: int = 2
    desk_session_hours: int = 12
    desk_login_max_failures: int = 5
    desk_login_lock_minutes: int = 15
    # Password checks (argon2, CPU-heavy) running at once; further sign-ins wait for a slot.
    desk_login_concurrency: int = 2
    desk_presence_seconds: int = 90
    # Proxies (addresses, CIDRs) whose X-Forwarded-For names the client; none by default.
    trusted_proxies: TrustedProxies = field(default_factory=TrustedProxies)
    # Bearer token that opens /metrics to non-loopback clients (empty: loopback only).
    metrics_token: str = field(default="", repr=False)

    @property
    def gateway_db_url(self) -> str:
        return async_db_url(self.db_url) if self.db_url else f"sqlite+aiosqlite:///{self.var_dir.resolve() / 'gateway.db'}"

    @property
    def tracker_async_url(self) -> str:
        return async_db_url(self.tracker_db_url) if self.tracker_db_url else ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        rasa_urls = _list(env, "RASA_URL") or (f"http://127.0.0.1:{_int(env, 'RASA_PORT', 5005)}",)
        return cls(
            host=env.get("GATEWAY_HOST", "127.0.0.1"),
            port=_int(env, "GATEWAY_PORT", 8080),
            var_dir=Path(env.get("VAR_DIR", "var")),
            rasa_urls=rasa_urls,
            actions_url=env.get("ACTIONS_URL", "").rstrip("/") or f"http://127.0.0.1:{_int(env, 'ACTIONS_PORT', 5055)}",
            db_url=env.get("GATEWAY_DB_URL", ""),
            tracker_db_url=env.get("TRACKER_DB_URL", ""),
            allowed_origins=_list(env, "ALLOWED_ORIGINS"),
            public_url=env.get("PUBLIC_URL", "").rstrip("/"),
            max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 2000),
            rate_conversation_per_minute=_int(env, "RATE_LIMIT_CONVERSATION_PER_MINUTE", 20),
            rate_conversation_burst=_int(env, "RATE_LIMIT_CONVERSATION_BURST", 6),
            rate_client_per_minute=_int(env, "RATE_LIMIT_CLIENT_PER_MINUTE", 300),
            rate_client_burst=_int(env, "RATE_LIMIT_CLIENT_BURST", 60),
            rasa_timeout_seconds=_int(env, "RASA_TIMEOUT_SECONDS", 30),
            ws_max_per_conversation=_int(env, "WS_MAX_PER_CONVERSATION", 5),
            ws_max_per_client=_int(env, "WS_MAX_PER_CLIENT", 50),
            ws_send_timeout_seconds=_float(env, "WS_SEND_TIMEOUT_SECONDS", 5.0),
            retention_hours=_int(env, "RETENTION_HOURS", 24),
            retention_check_seconds=_int(env, "RETENTION_CHECK_SECONDS", 600),
            help_phone=env.get("HELP_PHONE", "22 40 28 00"),
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR", "").strip() or DEFAULT_KNOWLEDGE_DIR),
            opening_hours=OpeningHours.parse(
                env.get("OPENING_HOURS", "").strip() or DEFAULT_SPEC,
                tz=env.get("OPENING_HOURS_TZ", "").strip() or DEFAULT_TZ,
                closed_dates=env.get("CLOSED_DATES", ""),
            ),
            rasa_token=env.get("RASA_TOKEN", ""),
            handoff_wait_minutes=_int(env, "HANDOFF_WAIT_MINUTES", 10),
            handoff_check_seconds=_int(env, "HANDOFF_CHECK_SECONDS", 30),
            handoff_max_open_per_client=_int(env, "HANDOFF_MAX_OPEN_PER_CLIENT", 2),
            desk_session_hours=_int(env, "DESK_SESSION_HOURS", 12),
            desk_login_max_failures=_int(env, "DESK_LOGIN_MAX_FAILURES", 5),
            desk_login_lock_minutes=_int(env, "DESK_LOGIN_LOCK_MINUTES", 15),
            desk_login_concurrency=_int(env, "DESK_LOGIN_CONCURRENCY", 2),
            desk_presence_seconds=_int(env, "DESK_PRESENCE_SECONDS", 90),
            trusted_proxies=TrustedProxies.parse(env.get("TRUSTED_PROXIES", "")),
            metrics_token=env.get("METRICS_TOKEN", "").strip(),
        )
