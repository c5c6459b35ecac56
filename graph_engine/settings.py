"""Configuration from the environment (``GRAPH_ENGINE_*``), overridable by CLI options.

========================================  ==========================================
``GRAPH_ENGINE_NEO4J_URI``                Bolt URI; when set, the server uses Neo4j
``GRAPH_ENGINE_NEO4J_USER`` / ``_PASSWORD``  credentials (none: auth disabled)
``GRAPH_ENGINE_NEO4J_DATABASE``           database name (default ``neo4j``)
``GRAPH_ENGINE_SNAPSHOT``                 memory store: load at start, save at stop
``GRAPH_ENGINE_HOST`` / ``_PORT``         where ``serve`` listens (127.0.0.1:8000)
``GRAPH_ENGINE_CACHE_DIR``                where the local Neo4j runtime is cached
``GRAPH_ENGINE_SMTP_URL``                 where mail goes (``smtp://`` or ``smtps://``
                                          ``[user:password@]host[:port]``); unset:
                                          the graph's outbox, read by operators
                                          (with it: the outbox keeps dead letters)
``GRAPH_ENGINE_MAIL_FROM``                the sender of that mail
``GRAPH_ENGINE_CORS_ORIGINS``             browser origins allowed to call the API
                                          (comma-separated; none by default)
``GRAPH_ENGINE_MAX_*``, ``_INTROSPECTION``  request limits (:mod:`graph_engine.api.limits`)
``GRAPH_ENGINE_SESSION_IDLE_MINUTES``     a session ends after this long unused (30)
``GRAPH_ENGINE_SESSION_HOURS``            and this long after login (12)
========================================  ==========================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from graph_engine.api.limits import Limits
from graph_engine.clock import Clock, SystemClock, TestClock
from graph_engine.store.base import GraphStore

if TYPE_CHECKING:
    from graph_engine.services import Engine


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it (one line, no traceback)."""


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)


def _port(env: Mapping[str, str]) -> int:
    port = _positive(env, "GRAPH_ENGINE_PORT", 8000)
    if port > 65_535:  # noqa: PLR2004 - the largest TCP port
        raise SettingsError(f"GRAPH_ENGINE_PORT must be a port (1 to 65535), not {port}")
    return port


def _limits(env: Mapping[str, str]) -> Limits:
    try:
        return Limits.from_env(env)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    snapshot: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    smtp_url: str | None = None
    mail_from: str = "graph-engine@localhost"
    cors_origins: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    session_idle_minutes: int = 30
    session_hours: int = 12
    # Names the store a test clock is for ("memory", or the Neo4j URI); None: wall clock.
    test_clock: str | None = None
    # Run every saved filter's alerts this often from the server itself (None: only when
    # a BACKOFFICE key or an operator calls runAlerts, e.g. from a scheduler).
    alerts_every_minutes: int | None = None

    @property
    def alerts_every(self) -> timedelta | None:
        minutes = self.alerts_every_minutes
        return None if minutes is None else timedelta(minutes=minutes)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        snapshot = env.get("GRAPH_ENGINE_SNAPSHOT")
        return cls(
            neo4j_uri=env.get("GRAPH_ENGINE_NEO4J_URI") or None,
            neo4j_user=env.get("GRAPH_ENGINE_NEO4J_USER") or None,
            neo4j_password=env.get("GRAPH_ENGINE_NEO4J_PASSWORD") or None,
            neo4j_database=env.get("GRAPH_ENGINE_NEO4J_DATABASE", "neo4j"),
            snapshot=Path(snapshot) if snapshot else None,
            host=env.get("GRAPH_ENGINE_HOST", "127.0.0.1"),
            port=_port(env),
            smtp_url=env.get("GRAPH_ENGINE_SMTP_URL") or None,
            mail_from=env.get("GRAPH_ENGINE_MAIL_FROM") or "graph-engine@localhost",
            cors_origins=tuple(
                o.strip() for o in env.get("GRAPH_ENGINE_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            limits=_limits(env),
            session_idle_minutes=_positive(env, "GRAPH_ENGINE_SESSION_IDLE_MINUTES", 30),
            session_hours=_positive(env, "GRAPH_ENGINE_SESSION_HOURS", 12),
            test_clock=env.get("GRAPH_ENGINE_TEST_CLOCK") or None,
            alerts_every_minutes=(
                _positive(env, "GRAPH_ENGINE_ALERTS_EVERY_MINUTES", 1)
                if env.get("GRAPH_ENGINE_ALERTS_EVERY_MINUTES")
                else None
            ),
        )

    @property
    def in_memory(self) -> bool:
        return self.neo4j_uri is None

    @property
    def starts_empty(self) -> bool:
        """An in-memory store with no snapshot file to load (the demo data's default)."""
        from graph_engine.store.memory.journal import journal_path  # noqa: PLC0415

        if not self.in_memory:
            return False
        snapshot = self.snapshot
        return snapshot is None or not (snapshot.exists() or journal_path(snapshot).exists())

    def with_(self, **changes: object) -> Settings:
        """A copy with the given (non-None) values changed."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})  # type: ignore[arg-type]

    def engine(self, store: GraphStore | None = None) -> Engine:
        """An engine on the store these settings name, mailing through their SMTP server."""
        from graph_engine.services import Engine  # noqa: PLC0415 - settings load first
        from graph_engine.services.identity_policy import SessionPolicy  # noqa: PLC0415
        from graph_engine.services.mail import OutboxMailer, SmtpMailer  # noqa: PLC0415

        store = store or self.open_store()
        clock = self.clock()
        mailer = (
            SmtpMailer(self.smtp_url, self.mail_from, dead_letters=OutboxMailer(store, clock))
            if self.smtp_url
            else None
        )
        sessions = SessionPolicy(
            idle=timedelta(minutes=self.session_idle_minutes),
            lifetime=timedelta(hours=self.session_hours),
        )
        return Engine(store, clock, mailer=mailer, sessions=sessions)

    def clock(self) -> Clock:
        """The wall clock, or a test clock when ``test_clock`` names this very store.

        A test clock is for staging and acceptance tests only; naming the store it is for
        ("memory", or the exact Neo4j URI) keeps a stray setting from moving the time of
        a production graph.
        """
        if self.test_clock is None:
            return SystemClock()
        store = "memory" if self.in_memory else self.neo4j_uri
        if self.test_clock != store:
            raise SettingsError(
                f"the test clock names {self.test_clock!r}, but the store is {store!r}:"
                " a test clock must name the store it is for (--test-clock memory, or"
                " --test-clock with the Neo4j URI itself)"
            )
        return TestClock()

    def open_store(self, *, read_only: bool = False) -> GraphStore:
        """The store these settings name: Neo4j when a URI is set, else the memory store.

        A memory store with a snapshot file journals every write to it; ``read_only``
        loads the file without taking it over (analysis beside a running server).
        """
        if self.neo4j_uri:
            from graph_engine.store.neo4j import Neo4jStore  # noqa: PLC0415 - only when used

            auth = None
            if self.neo4j_user:
                auth = (self.neo4j_user, self.neo4j_password or "")
            return Neo4jStore(self.neo4j_uri, auth=auth, database=self.neo4j_database)
        from graph_engine.store.memory import MemoryStore  # noqa: PLC0415 - only when used

        if self.snapshot is None:
            return MemoryStore()
        if read_only:
            return MemoryStore.from_snapshot(self.snapshot)
        return MemoryStore.durable(self.snapshot)
