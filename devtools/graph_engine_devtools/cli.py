"""``graph-engine neo4j start|stop|status|fetch``: a local Neo4j from the shell.

The group joins the ``graph-engine`` command through the entry-point group
``graph_engine.commands`` when the development tools are installed (``scripts/test``
installs them). ``start`` records the server in the instance file (see
:mod:`graph_engine_devtools.neo4j_local`) for ``stop`` and ``status``.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from graph_engine_devtools.neo4j_local import (
    NEO4J_VERSION,
    Neo4jUnavailableError,
    ensure_runtime,
    read_state,
    start,
    state_file,
    wait_ready,
    write_state,
)

__all__ = ["neo4j_group"]


def _fail(exc: Neo4jUnavailableError) -> click.ClickException:
    # The log tail goes to stderr as context; the error itself stays one line.
    if exc.log_tail:
        click.echo(exc.log_tail, err=True)
    return click.ClickException(exc.reason)


@click.group(name="neo4j")
def neo4j_group() -> None:
    """Run a local Neo4j Community 5.26 for development and tests."""


@neo4j_group.command(name="start", short_help="Start Neo4j detached; print an export line.")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Bolt port.")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Instance folder (kept); a throw-away one by default.",
)
@click.option("--heap", default="1g", show_default=True, help="JVM heap size.")
@click.option("--pagecache", default="512m", show_default=True, help="Page cache size.")
@click.option("--timeout", type=float, default=120.0, show_default=True, help="Seconds.")
def _start_command(
    port: int | None, home: Path | None, heap: str, pagecache: str, timeout: float
) -> None:
    """Start Neo4j detached and print an `export GRAPH_ENGINE_NEO4J_URI=...` line."""
    state = state_file()
    current = read_state(state)
    if current is not None and current.is_running():
        raise click.ClickException(
            f"Neo4j is already running at {current.uri} (pid {current.pid}, "
            f"home {current.home}); run `graph-engine neo4j stop` first"
        )
    try:
        server = start(port=port, home=home, heap=heap, pagecache=pagecache, timeout=timeout)
    except Neo4jUnavailableError as exc:
        raise _fail(exc) from exc
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    write_state(state, server)
    click.echo(
        f"Neo4j {NEO4J_VERSION} running at {server.uri} (pid {server.pid}, home {server.home})",
        err=True,
    )
    # Only the export line goes to stdout, so `eval "$(graph-engine neo4j start)"` works.
    click.echo(f"export GRAPH_ENGINE_NEO4J_URI={shlex.quote(server.uri)}")


@neo4j_group.command(name="stop")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds.")
def _stop_command(timeout: float) -> None:
    """Stop the instance started by `neo4j start`."""
    state = state_file()
    current = read_state(state)
    if current is None:
        click.echo("No local Neo4j is running (no instance file).")
        return
    if not current.is_running():
        state.unlink(missing_ok=True)
        click.echo(f"No local Neo4j is running (pid {current.pid} is gone).")
        return
    try:
        current.stop(timeout=timeout)
    except Neo4jUnavailableError as exc:
        raise _fail(exc) from exc
    state.unlink(missing_ok=True)
    click.echo(f"Stopped Neo4j at {current.uri} (pid {current.pid}).")


@neo4j_group.command(name="status")
@click.option("--timeout", type=float, default=5.0, show_default=True, help="Seconds.")
@click.pass_context
def _status_command(ctx: click.Context, timeout: float) -> None:
    """Print whether Neo4j runs; exit 0 only if it is running and ready."""
    current = read_state(state_file())
    if current is None:
        click.echo("not running")
        ctx.exit(1)
    running = current.is_running()
    reason = ""
    if running:
        try:
            wait_ready(current.uri, timeout=timeout)
        except Neo4jUnavailableError as exc:
            reason = exc.reason
    if not running:
        click.echo("not running")
    elif reason:
        click.echo(f"running, not ready: {reason}")
    else:
        click.echo("running")
    click.echo(f"uri:  {current.uri}")
    click.echo(f"pid:  {current.pid}")
    click.echo(f"home: {current.home}")
    ctx.exit(0 if running and not reason else 1)


@neo4j_group.command(name="fetch")
def _fetch_command() -> None:
    """Download the Neo4j jars (once) and print their directory."""
    try:
        click.echo(str(ensure_runtime()))
    except Neo4jUnavailableError as exc:
        raise _fail(exc) from exc
