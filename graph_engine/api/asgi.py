"""The app as uvicorn's workers build it: from the environment (``serve --workers``).

    uvicorn --factory graph_engine.api.asgi:app --workers 4

Each worker process builds its own engine and Neo4j driver from the ``GRAPH_ENGINE_*``
settings; the API keeps no state of its own, so any worker answers any request.
"""

from __future__ import annotations

from starlette.applications import Starlette

from graph_engine.api.app import create_app
from graph_engine.server import configure_logging
from graph_engine.settings import Settings
from graph_engine.telemetry import configure_tracing


def app() -> Starlette:
    settings = Settings.from_env()
    configure_logging()
    return create_app(
        settings.engine(),
        limits=settings.limits,
        cors_origins=settings.cors_origins,
        tracing=configure_tracing(),
        alerts_every=settings.alerts_every,
    )
