"""What the commands share: the store options, settings, errors and --reset."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import click

from graph_engine.errors import GraphEngineError
from graph_engine.settings import Settings, SettingsError

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


def run(work: Callable[[], Awaitable[T]]) -> T:
    try:
        return asyncio.run(work())  # type: ignore[arg-type]
    except GraphEngineError as exc:
        raise click.ClickException(f"{exc.code}: {exc.message}") from None


def settings_from(**changes: object) -> Settings:
    try:
        return Settings.from_env().with_(**changes)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


reset_options = [
    click.option(
        "--reset", is_flag=True, help="Delete everything in the store first (asks unless --yes)."
    ),
    click.option("--yes", is_flag=True, help="Do not ask before --reset deletes."),
]


def with_reset(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(reset_options):
        command = option(command)
    return command


def confirm_reset(reset: bool, yes: bool, settings: Settings) -> None:
    if reset and not yes:
        where = settings.neo4j_uri or settings.snapshot or "the memory store"
        click.confirm(f"delete every node and relationship in {where}?", abort=True, err=True)


def named_store(neo4j_uri: str | None, snapshot: Path | None, verb: str) -> Settings:
    settings = settings_from(neo4j_uri=neo4j_uri, snapshot=snapshot)
    if settings.neo4j_uri is None and settings.snapshot is None:
        msg = f"give --neo4j URI or --snapshot FILE: the store to {verb}"
        raise click.UsageError(msg)
    return settings
