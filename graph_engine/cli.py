"""The ``graph-engine`` command line.

``serve`` runs the API (in memory with the demo data, or on Neo4j), ``demo``
loads the demo data and walks through its stories, ``create-operator-key`` makes the
first key of a machine operator, ``mail-relay`` receives the environments' mail,
``backup``/``restore``/``import`` move whole graphs in and out,
``analyze``/``export``/``draw`` are the analyst's tools, ``neo4j`` runs a local Neo4j
for development.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import socket
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Self, TypeVar

import click

from graph_engine import demo as demo_data
from graph_engine import demo_stories, neo4j_local
from graph_engine.errors import GraphEngineError
from graph_engine.model import PageRequest, Principal, PrincipalKind
from graph_engine.neo4j_local import neo4j_group
from graph_engine.services import Engine
from graph_engine.settings import Settings, SettingsError
from graph_engine.store.memory import MemoryStore

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from graph_engine import backup
    from graph_engine.analysis.snapshot import Graph
    from graph_engine.neo4j_local import LocalNeo4j

T = TypeVar("T")

neo4j_option = click.option(
    "--neo4j",
    "neo4j_uri",
    metavar="URI",
    help="Use Neo4j at this Bolt URI (or GRAPH_ENGINE_NEO4J_URI).",
)
snapshot_option = click.option(
    "--snapshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Memory store backed by this snapshot file (or GRAPH_ENGINE_SNAPSHOT).",
)


def _run(work: Callable[[], Awaitable[T]]) -> T:
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except GraphEngineError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None


@click.group()
@click.version_option(package_name="graph_engine")
def main() -> None:
    """graph_engine: partnerships and access rights as a graph."""


main.add_command(neo4j_group)


@main.command()
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

    settings = _settings(
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


def _settings(**changes: object) -> Settings:
    try:
        return Settings.from_env().with_(**changes)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


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
            click.echo(_demo_banner())
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


def _demo_banner() -> str:
    lines = [
        f"demo data loaded (the eVerbinding story); log in with password {demo_data.PASSWORD!r} as:"
    ]
    lines += [f"  {u.email:32} {u.name:15} {u.part}" for u in demo_data.USERS]
    lines.append("and the Easyflex story (ownership rights, licences, process messages):")
    lines += [f"  {u.email:32} {u.name:15} {u.part}" for u in demo_data.FLEX_USERS]
    for title, users in (
        ("the Staff story (relation links, support tasks)", demo_stories.STAFF_USERS),
        ("the Carerix story (offboarding)", demo_stories.CARERIX_USERS),
        ("the HelloFlex story (maintenance)", demo_stories.HELLOFLEX_USERS),
    ):
        lines.append(f"and {title}:")
        lines += [f"  {email:32} {name:15} {role}, {part}" for _, email, name, role, part in users]
    return "\n".join(lines)


reset_options = [
    click.option(
        "--reset", is_flag=True, help="Delete everything in the store first (asks unless --yes)."
    ),
    click.option("--yes", is_flag=True, help="Do not ask before --reset deletes."),
]


def _with_reset(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(reset_options):
        command = option(command)
    return command


def _confirm_reset(reset: bool, yes: bool, settings: Settings) -> None:
    if reset and not yes:
        where = settings.neo4j_uri or settings.snapshot or "the memory store"
        click.confirm(f"delete every node and relationship in {where}?", abort=True, err=True)


@main.command()
@neo4j_option
@snapshot_option
@_with_reset
def demo(neo4j_uri: str | None, snapshot: Path | None, reset: bool, yes: bool) -> None:
    """Load the demo data (five stories) and walk through the eVerbinding and Easyflex ones.

    Without --neo4j or --snapshot the story runs in memory and is printed step
    by step. With a target, the data is written there and a bearer token is
    printed for each demo user, for a server started on the same store. A store
    that holds the demo already is left as it is (--reset clears it first).
    """
    settings = _settings(neo4j_uri=neo4j_uri, snapshot=snapshot)
    _confirm_reset(reset, yes, settings)

    async def work() -> None:
        engine = settings.engine()
        try:
            await engine.store.migrate()
            if reset:
                await engine.store.clear()
            elif await demo_data.is_loaded(engine):
                click.echo(
                    "the demo data is in this store already: nothing changed"
                    " (--reset deletes everything in the store and loads it again)"
                )
                return
            await demo_data.load_demo(engine)
            click.echo(_demo_banner())
            await _walk_through(engine)
            if settings.neo4j_uri or settings.snapshot:
                for user in demo_data.USERS:
                    token, _ = await engine.identity.login(user.email, demo_data.PASSWORD)
                    click.echo(f"token of {user.name}: {token}")
            if isinstance(engine.store, MemoryStore) and settings.snapshot is not None:
                engine.store.save_snapshot(settings.snapshot)
                saved = settings.snapshot
                click.echo(f"saved to {saved}; run: graph-engine serve --snapshot {saved}")
        finally:
            await engine.store.close()

    _run(work)


async def _walk_through(engine: Engine) -> None:
    """Ask the story's questions and print the engine's answers."""
    service = engine.partnerships

    async def as_user(user_id: str) -> Principal:
        user = await engine.store.get_user(user_id=user_id)
        assert user is not None  # noqa: S101 - demo data
        return Principal(
            kind=PrincipalKind.USER, id=user.id, environment_id=user.environment_id, user=user
        )

    bas, carla = await as_user("usr_bas"), await as_user("usr_carla")
    org = demo_data.CUSTOMER_ORG
    for caller, invitee in ((bas, "usr_anna"), (bas, "usr_ruud"), (carla, "usr_anna")):
        decision = await service.can_invite(caller, invitee, org)
        verdict = "may" if decision.allowed else "may NOT"
        click.echo(f"{caller.id} {verdict} invite {invitee} to {org}: {decision.code}")
    missing = await engine.store.missing_connections(
        environment_id=demo_data.CUSTOMER_ENV, page=PageRequest(first=50, after=None)
    )
    click.echo(
        "missing connections (legacy data): "
        + json.dumps([[m.user_id, m.peer_id, m.rule] for m in missing.items])
    )
    click.echo(
        "repair with: mutation { repairConnections(partnershipId: "
        f'"{demo_data.PARTNERSHIP}") {{ userId peerId rule }} }}'
    )
    await _walk_through_easyflex(engine, await as_user("usr_ellen"))


async def _walk_through_easyflex(engine: Engine, ellen: Principal) -> None:
    """Who holds Kees's rights, and why his licence cannot be released yet (read only)."""
    service = engine.ownership
    for found in await service.ownership_of(ellen, "usr_kees"):
        click.echo(f"rights of usr_kees in {found.work_company_id} are held by {found.holder_id}")
    inbox = await service.inbox(ellen, "usr_piet", PageRequest(first=50))
    click.echo(f"process messages delivered to usr_piet last night: {len(inbox.items)}")
    try:
        await service.release_licence(ellen, "usr_kees")
    except GraphEngineError as exc:
        click.echo(f"releasing the licence of usr_kees: {exc.code}: {exc.message}")
    click.echo(
        'fix with: mutation { transferOwnership(from: "usr_kees", to: "usr_piet", '
        f'workCompanyIds: ["{demo_data.FLEX_ZUID}"]) {{ invalidatedSessions }} }}'
    )


@main.command("create-operator-key")
@neo4j_option
@snapshot_option
@click.option(
    "--name", default="operator", show_default=True, help="A name to recognise the key by."
)
def create_operator_key(neo4j_uri: str | None, snapshot: Path | None, name: str) -> None:
    """Create an OPERATOR API key (the first one has no other way in) and print it once."""
    settings = Settings.from_env().with_(neo4j_uri=neo4j_uri, snapshot=snapshot)
    if settings.neo4j_uri is None and settings.snapshot is None:
        msg = "give --neo4j URI or --snapshot FILE: an in-memory key would vanish on exit"
        raise click.UsageError(msg)

    async def work() -> str:
        engine = settings.engine()
        try:
            await engine.store.migrate()
            _, key = await engine.identity.issue_api_key(PrincipalKind.OPERATOR, name, None)
            if isinstance(engine.store, MemoryStore) and settings.snapshot is not None:
                engine.store.save_snapshot(settings.snapshot)
            return key
        finally:
            await engine.store.close()

    click.echo(_run(work))


@main.command("mail-relay")
@neo4j_option
@snapshot_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65_535),
    default=2525,
    show_default=True,
    help="Port to listen on for SMTP.",
)
@click.option(
    "--maildir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of the mailboxes: an active user's mail is kept in the Maildir DIR/<user id>/.",
)
@click.option(
    "--smarthost",
    metavar="URL",
    help=(
        "Where forwarded mail leaves: smtp://[user:password@]host[:port] or smtps://..."
        " [env: GRAPH_ENGINE_SMTP_URL]; without one it is kept in the store's outbox."
    ),
)
@click.option(
    "--tls-cert",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Offer STARTTLS with this PEM certificate chain (with --tls-key).",
)
@click.option(
    "--tls-key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The private key of --tls-cert (PEM).",
)
def mail_relay(  # noqa: PLR0917 - click passes one argument per option
    neo4j_uri: str | None,
    snapshot: Path | None,
    host: str,
    port: int,
    maildir: Path,
    smarthost: str | None,
    tls_cert: Path | None,
    tls_key: Path | None,
) -> None:
    """Receive mail for the environments' e-mail domains over SMTP and route it.

    An active user's mail goes to their Maildir; an inactive user's is forwarded to
    the user they report to, with the note "Dit bericht is doorgestuurd vanuit de
    inactieve gebruiker" (and its English) above it, through the smarthost with
    retries (what it never takes is kept in the outbox as a dead letter). A renamed
    or unknown address, and any other domain, is refused with 550. Each message is
    handled once per recipient, however often it is sent again.
    """
    from graph_engine import mailrelay, server  # noqa: PLC0415 - keeps `--help` fast

    server.configure_logging()
    # One line per message and per refusal, as a mail server's log has.
    logging.getLogger("graph_engine.mailrelay").setLevel(logging.INFO)

    settings = _named_store(neo4j_uri, snapshot, "read the users from").with_(
        host=host, port=port, smtp_url=smarthost
    )
    if settings.in_memory and settings.smtp_url is None:
        msg = (
            "give --smarthost URL (or GRAPH_ENGINE_SMTP_URL): on the memory store the relay"
            " only reads the server's snapshot, so forwarded mail must leave by SMTP"
        )
        raise click.UsageError(msg)

    if (tls_cert is None) != (tls_key is None):
        msg = "give --tls-cert and --tls-key together"
        raise click.UsageError(msg)
    tls = None
    if tls_cert is not None and tls_key is not None:
        try:
            tls = mailrelay.tls_context(tls_cert, tls_key)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            raise click.ClickException(f"cannot use {tls_cert} with {tls_key}: {exc}") from None

    def ready() -> None:
        offer = " (STARTTLS offered)" if tls else ""
        click.echo(f"mail relay on smtp://{host}:{port}{offer}, mailboxes in {maildir}")

    try:
        _run(lambda: mailrelay.serve(settings, maildir, ready=ready, tls=tls))
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise click.ClickException(f"cannot listen on {host}:{port}: {reason}") from None


def _named_store(neo4j_uri: str | None, snapshot: Path | None, verb: str) -> Settings:
    settings = _settings(neo4j_uri=neo4j_uri, snapshot=snapshot)
    if settings.neo4j_uri is None and settings.snapshot is None:
        msg = f"give --neo4j URI or --snapshot FILE: the store to {verb}"
        raise click.UsageError(msg)
    return settings


class _Bars:
    """Progress bars on stderr, one per stage of long work, drawn only when stderr is a
    terminal: redirected to a file or a pipe, the command stays quiet."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self.bar: ProgressBar[int] | None = None
        self.stage = ""
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.shown:
            return
        if self.bar is None or stage != self.stage:
            self.close()
            self.bar = click.progressbar(length=max(total, 1), label=stage, file=sys.stderr)
            self.bar.__enter__()
            self.stage, self.done = stage, 0
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _local_server(settings: Settings) -> LocalNeo4j | None:
    """The Neo4j that `graph-engine neo4j start` runs, when the command targets it."""
    if settings.neo4j_uri is None:
        return None
    return neo4j_local.local_server(settings.neo4j_uri)


def _say_offline(done: backup.Summary, settings: Settings) -> None:
    if done.offline:
        click.echo(
            f"bulk-loaded with neo4j-admin: the local Neo4j at {settings.neo4j_uri} restarted",
            err=True,
        )


@main.command("backup")
@neo4j_option
@snapshot_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The backup file to write (JSON lines; it holds secrets' hashes: keep it safe).",
)
def backup_command(neo4j_uri: str | None, snapshot: Path | None, out: Path) -> None:
    """Write the whole graph, secrets' hashes included, to a backup file.

    The file restores into either store (graph-engine restore). It is written
    with mode 0600 and marked sensitive: whoever holds it can read every
    tenant's data.
    """
    from graph_engine import backup  # noqa: PLC0415 - keeps `--help` fast

    settings = _named_store(neo4j_uri, snapshot, "back up")

    async def work() -> backup.Summary:
        store = settings.open_store(read_only=True)
        try:
            nodes, relationships = await store.graph_size()
            with _Bars() as bars:
                return await backup.backup(
                    store,
                    out,
                    progress=lambda n, r: bars("backing up", n + r, nodes + relationships),
                )
        finally:
            await store.close()

    done = _run(work)
    click.echo(f"backed up {done.nodes:,} nodes and {done.relationships:,} relationships to {out}")
    if done.skipped:
        click.echo(f"left out {done.skipped:,} relationships to nodes created while the backup ran")


@main.command()
@neo4j_option
@snapshot_option
@_with_reset
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def restore(
    neo4j_uri: str | None, snapshot: Path | None, reset: bool, yes: bool, file: Path
) -> None:
    """Load a backup FILE into an empty store (--reset empties it first).

    The whole file is checked before anything is written. On Neo4j the restore
    writes in batches: if it fails midway, run it again with --reset. Into the
    empty database of the Neo4j that `graph-engine neo4j start` runs, a big file
    is bulk-loaded with neo4j-admin instead (the server restarts once; all or
    nothing). See docs/import.md.
    """
    from graph_engine import backup  # noqa: PLC0415 - keeps `--help` fast

    settings = _named_store(neo4j_uri, snapshot, "restore into")
    try:
        summary = backup.check(file)
    except GraphEngineError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None
    _confirm_reset(reset, yes, settings)

    async def work() -> backup.Summary:
        store = settings.open_store()
        try:
            await store.migrate()
            if reset:
                await store.clear()
            with _Bars() as bars:
                return await backup.restore(
                    store, file, progress=bars, checked=summary, server=_local_server(settings)
                )
        finally:
            await store.close()

    done = _run(work)
    _say_offline(done, settings)
    click.echo(f"restored {done.nodes:,} nodes and {done.relationships:,} relationships")


@main.command("import")
@neo4j_option
@snapshot_option
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def import_command(neo4j_uri: str | None, snapshot: Path | None, file: Path) -> None:
    """Add the nodes and relationships of a JSON FILE (the snapshot format), all or nothing.

    For data from elsewhere, older products included: the format is in
    docs/import.md, an example in examples/legacy-missing-connection.json. Into
    the empty database of the Neo4j that `graph-engine neo4j start` runs, a big
    file is bulk-loaded with neo4j-admin (the server restarts once).
    """
    from graph_engine import backup  # noqa: PLC0415 - keeps `--help` fast

    settings = _named_store(neo4j_uri, snapshot, "import into")

    async def work() -> backup.Summary:
        store = settings.open_store()
        try:
            await store.migrate()
            with _Bars() as bars:
                return await backup.import_file(
                    store, file, progress=bars, server=_local_server(settings)
                )
        finally:
            await store.close()

    done = _run(work)
    _say_offline(done, settings)
    click.echo(f"imported {done.nodes:,} nodes and {done.relationships:,} relationships")


@main.command("schema")
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


def _snapshot(settings: Settings) -> Graph:
    """The graph of the chosen store (the demo data when nothing is chosen)."""
    from graph_engine.analysis import snapshot  # noqa: PLC0415

    # On a terminal the count is redrawn in place; redirected, only the last count is
    # written, on a line of its own.
    redraw = sys.stderr.isatty()

    def progress(nodes: int, relationships: int) -> None:
        if redraw:
            click.echo(
                f"\rread {nodes:,} nodes, {relationships:,} relationships", nl=False, err=True
            )

    async def work() -> Graph:
        # Reading only: a running server's snapshot and journal are left to it.
        engine = settings.engine(settings.open_store(read_only=True))
        try:
            if settings.starts_empty:
                await demo_data.load_demo(engine)
            return await snapshot(engine.store, progress=progress)
        finally:
            await engine.store.close()

    graph = _run(work)
    start = "\r" if redraw else ""
    click.echo(
        f"{start}read {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} relationships",
        err=True,
    )
    return graph


@main.command()
@neo4j_option
@snapshot_option
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.option(
    "--maintenance-hours",
    type=float,
    default=24.0,
    show_default=True,
    help="Report maintenance windows open longer than this.",
)
def analyze(
    neo4j_uri: str | None, snapshot: Path | None, as_json: bool, maintenance_hours: float
) -> None:
    """Run every report over a snapshot of the graph (the demo data by default)."""
    from graph_engine.analysis import ReportOptions  # noqa: PLC0415
    from graph_engine.analysis import analyze as run_reports  # noqa: PLC0415

    settings = Settings.from_env().with_(neo4j_uri=neo4j_uri, snapshot=snapshot)
    graph = _snapshot(settings)
    found = run_reports(graph, ReportOptions(maintenance_hours=maintenance_hours))
    if as_json:
        click.echo(json.dumps(found, indent=2, default=str))
        return
    for name, rows in found.items():
        click.echo(f"{name}: {len(rows)}")
        for row in rows:
            click.echo("  " + ", ".join(f"{k}={v}" for k, v in row.items()))


@main.command()
@neo4j_option
@snapshot_option
@click.option(
    "--format", "fmt", type=click.Choice(["graphml", "json"]), default="graphml", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write."
)
def export(neo4j_uri: str | None, snapshot: Path | None, fmt: str, out: Path) -> None:
    """Write the graph as GraphML (opens in Gephi) or node-link JSON (networkx)."""
    from graph_engine.analysis.export import write_graphml, write_json  # noqa: PLC0415

    settings = Settings.from_env().with_(neo4j_uri=neo4j_uri, snapshot=snapshot)
    graph = _snapshot(settings)
    (write_graphml if fmt == "graphml" else write_json)(graph, out)
    click.echo(
        f"wrote {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges to {out}"
    )


@main.command()
@neo4j_option
@snapshot_option
@click.option("--around", "center", required=True, help="The id of the node in the middle.")
@click.option("--depth", type=click.IntRange(0, 4), default=2, show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="A .svg or .png file.",
)
def draw(neo4j_uri: str | None, snapshot: Path | None, center: str, depth: int, out: Path) -> None:
    """Draw the neighbourhood of a node: the node in the middle, the others on rings by
    their distance from it, arrows and types on the relationships, a legend by label.

    SVG needs nothing more; PNG needs the draw extra (pip install 'graph_engine[draw]').
    """
    from graph_engine.analysis.export import draw as draw_picture  # noqa: PLC0415
    from graph_engine.analysis.png import DrawExtraMissingError, require_png  # noqa: PLC0415

    if out.suffix.lower() not in {".svg", ".png"}:
        raise click.BadParameter("the picture must be a .svg or .png file", param_hint="--out")
    if out.suffix.lower() == ".png":
        try:
            require_png()  # before reading the graph: say what is missing at once
        except DrawExtraMissingError as exc:
            raise click.ClickException(str(exc)) from None
    settings = Settings.from_env().with_(neo4j_uri=neo4j_uri, snapshot=snapshot)
    graph = _snapshot(settings)
    if center not in graph:
        raise click.ClickException(f"NOT_FOUND: no node {center}")
    count = draw_picture(graph, center, depth, out)
    click.echo(f"drew {count} nodes around {center} to {out}")
