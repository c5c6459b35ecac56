"""``serve``: the GraphQL API; ``schema``: its SDL."""

from __future__ import annotations

import gc
import os
import socket
import tempfile
from pathlib import Path

import click

from graph_engine import demo as demo_data
from graph_engine.cli.common import neo4j_option, settings_from, snapshot_option
from graph_engine.cli.demo import demo_banner
from graph_engine.errors import GraphEngineError
from graph_engine.model import PrincipalKind
from graph_engine.services import Engine
from graph_engine.settings import Settings, SettingsError
from graph_engine.store.memory import MemoryStore


@click.command()
@neo4j_option
@snapshot_option
@click.option("--host", help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option(
    "--demo/--no-demo",
    default=None,
    help="Load the demo data (default: yes for a fresh in-memory store, no otherwise).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes serving the one port (Neo4j only: the memory store is one process).",
)
@click.option(
    "--test-clock",
    "test_clock",
    metavar="STORE",
    help=(
        "Staging and acceptance tests only: run on a clock an operator moves forward"
        " (advanceTestClock). STORE names the store it is for: 'memory', or the Neo4j URI"
        " itself. [env: GRAPH_ENGINE_TEST_CLOCK]"
    ),
)
def serve(  # noqa: PLR0917 - click passes one argument per option
    neo4j_uri: str | None,
    snapshot: Path | None,
    host: str | None,
    port: int | None,
    demo: bool | None,
    workers: int,
    test_clock: str | None,
) -> None:
    """Run the GraphQL API at http://HOST:PORT/graphql."""
    from graph_engine import server  # noqa: PLC0415 - keeps `--help` fast

    settings = settings_from(
        neo4j_uri=neo4j_uri, snapshot=snapshot, host=host, port=port, test_clock=test_clock
    )
    try:
        settings.clock()  # a test clock that names another store stops here, in one line
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    if settings.test_clock is not None:
        click.echo(
            "TEST CLOCK: operators move this server's time forward (advanceTestClock);"
            " for staging and acceptance tests, never for production"
        )
    try:
        if workers > 1 and settings.test_clock is not None:
            msg = "--test-clock needs one worker: each worker process would keep its own time"
            raise click.UsageError(msg)
        if workers > 1:
            if settings.in_memory:
                msg = (
                    "--workers needs --neo4j: the memory store lives in one process"
                    " (several would each hold their own graph)"
                )
                raise click.UsageError(msg)
            _serve_workers(settings, workers)
            return
        sock = server.bind(settings.host, settings.port)
        server.preflight(settings)
    except server.ServeError as exc:
        raise click.ClickException(str(exc)) from None
    _serve_one(settings, demo, sock)


def _serve_one(settings: Settings, demo: bool | None, sock: socket.socket) -> None:
    import uvicorn  # noqa: PLC0415 - only the server needs it

    from graph_engine import server, telemetry  # noqa: PLC0415 - keeps `--help` fast
    from graph_engine.api.app import create_app  # noqa: PLC0415

    in_memory = settings.in_memory
    load = settings.starts_empty if demo is None else demo
    try:
        engine = settings.engine()
    except GraphEngineError as exc:
        raise click.ClickException(exc.message) from None

    async def startup(engine: Engine) -> None:
        if load and await demo_data.is_loaded(engine):
            click.echo("the demo data is in this store already (left as it is)")
        elif load:
            await demo_data.load_demo(engine)
            click.echo(demo_banner())
        if in_memory:
            # Minted once per store: a snapshot that holds one keeps it (keys show once).
            if await engine.keys.operator_key_exists():
                click.echo(
                    "an operator key exists in this store (make another: create-operator-key)"
                )
            else:
                _, key = await engine.identity.issue_api_key(PrincipalKind.OPERATOR, "serve", None)
                click.echo(f"operator key for this store: {key}")
        # What is loaded now lives as long as the process: out of the collector's sight,
        # a full collection no longer walks the whole graph (a pause of ~0.4 s at 100k
        # users in memory, in the middle of some request).
        gc.freeze()
        # The socket is bound already: this line means requests are answered.
        click.echo(f"GraphQL API on http://{settings.host}:{settings.port}/graphql")

    async def shutdown(engine: Engine) -> None:
        # Every write is in the journal already; this folds it into the snapshot.
        if in_memory and settings.snapshot is not None and isinstance(engine.store, MemoryStore):
            engine.store.save_snapshot(settings.snapshot)
            click.echo(f"saved the graph to {settings.snapshot}")

    server.configure_logging()
    app = create_app(
        engine,
        on_startup=startup,
        on_shutdown=shutdown,
        limits=settings.limits,
        cors_origins=settings.cors_origins,
        tracing=telemetry.configure_tracing(),
        alerts_every=settings.alerts_every,
    )
    config = uvicorn.Config(app, log_level="warning", loop="uvloop", http=server.HttpProtocol)
    uvicorn.Server(config).run(sockets=[sock])


def _serve_workers(settings: Settings, workers: int) -> None:
    import uvicorn  # noqa: PLC0415 - only the server needs it

    from graph_engine import server  # noqa: PLC0415

    server.bind(settings.host, settings.port).close()  # a port in use is one line, not a trace
    server.preflight(settings)
    server.export(settings)
    # Every worker counts into this folder, so /metrics adds them up whichever answers.
    metrics_dir = tempfile.mkdtemp(prefix="graph-engine-metrics-")
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)
    click.echo(f"GraphQL API on http://{settings.host}:{settings.port}/graphql ({workers} workers)")
    uvicorn.run(
        "graph_engine.api.asgi:app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level="warning",
        loop="uvloop",
        http=server.HttpProtocol,
    )


@click.command("schema")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (schema.graphql) instead of printing.",
)
def export_schema(out: Path | None) -> None:
    """Print the GraphQL schema (SDL) exported from the code."""
    from graph_engine.api.schema import sdl  # noqa: PLC0415 - keeps other commands light

    text = sdl()
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
