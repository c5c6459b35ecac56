"""``create-operator-key``: the first key of a machine operator."""

from __future__ import annotations

from pathlib import Path

import click

from graph_engine.cli.common import neo4j_option, run, snapshot_option
from graph_engine.model import PrincipalKind
from graph_engine.settings import Settings
from graph_engine.store.memory import MemoryStore


@click.command("create-operator-key")
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

    click.echo(run(work))
