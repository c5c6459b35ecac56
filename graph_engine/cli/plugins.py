"""Commands that other installed packages add to ``graph-engine``.

A package adds a click command through the entry-point group :data:`ENTRY_POINTS`. The
development tools (``devtools/``) add ``neo4j`` this way, so the engine's wheel carries
no process management; where they are not installed, ``graph-engine neo4j`` says how
to get them.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import click

ENTRY_POINTS = "graph_engine.commands"


@click.command(
    name="neo4j",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
def _neo4j_missing() -> None:
    """Run a local Neo4j for development (needs the development tools)."""
    msg = (
        "`graph-engine neo4j` is a development tool, not installed here:"
        " pip install -e devtools in a checkout of graph_engine (scripts/test does)"
    )
    raise click.ClickException(msg)


def add_installed_commands(group: click.Group) -> None:
    """Add the commands of the installed packages to ``group`` (and the stand-in for
    ``neo4j`` when none provides it)."""
    for point in entry_points(group=ENTRY_POINTS):
        command = point.load()
        if not isinstance(command, click.Command):
            msg = f"entry point {point.name} = {point.value} is not a click command"
            raise TypeError(msg)
        group.add_command(command, point.name)
    if "neo4j" not in group.commands:
        group.add_command(_neo4j_missing)
