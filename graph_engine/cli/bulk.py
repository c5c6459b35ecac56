"""``backup``, ``restore``, ``import``: whole graphs in and out of either store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Self

import click

from graph_engine.cli.common import (
    confirm_reset,
    named_store,
    neo4j_option,
    run,
    snapshot_option,
    with_reset,
)
from graph_engine.errors import GraphEngineError
from graph_engine.settings import Settings
from graph_engine.store.neo4j.bulk_local_server import LocalServer, local_server

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from graph_engine import backup


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


def _local_server(settings: Settings) -> LocalServer | None:
    """The Neo4j that `graph-engine neo4j start` runs, when the command targets it."""
    if settings.neo4j_uri is None:
        return None
    return local_server(settings.neo4j_uri)


def _say_offline(done: backup.Summary, settings: Settings) -> None:
    if done.offline:
        click.echo(
            f"bulk-loaded with neo4j-admin: the local Neo4j at {settings.neo4j_uri} restarted",
            err=True,
        )


@click.command("backup")
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

    settings = named_store(neo4j_uri, snapshot, "back up")

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

    done = run(work)
    click.echo(f"backed up {done.nodes:,} nodes and {done.relationships:,} relationships to {out}")
    if done.skipped:
        click.echo(f"left out {done.skipped:,} relationships to nodes created while the backup ran")


@click.command()
@neo4j_option
@snapshot_option
@with_reset
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

    settings = named_store(neo4j_uri, snapshot, "restore into")
    try:
        summary = backup.check(file)
    except GraphEngineError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None
    confirm_reset(reset, yes, settings)

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

    done = run(work)
    _say_offline(done, settings)
    click.echo(f"restored {done.nodes:,} nodes and {done.relationships:,} relationships")


@click.command("import")
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

    settings = named_store(neo4j_uri, snapshot, "import into")

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

    done = run(work)
    _say_offline(done, settings)
    click.echo(f"imported {done.nodes:,} nodes and {done.relationships:,} relationships")
