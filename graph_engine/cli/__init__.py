"""The ``graph-engine`` command line, one module per family of commands.

``serve`` runs the API (in memory with the demo data, or on Neo4j) and ``schema``
prints its SDL (:mod:`.serve`); ``demo`` loads the demo data and walks through its
stories (:mod:`.demo`); ``create-operator-key`` makes the first key of a machine
operator (:mod:`.identity`); ``mail-relay`` receives the environments' mail
(:mod:`.mail`); ``backup``/``restore``/``import`` move whole graphs in and out
(:mod:`.bulk`); ``analyze``/``export``/``draw`` are the analyst's tools
(:mod:`.analysis`). ``neo4j`` runs a local Neo4j for development: it comes with the
development tools (``devtools/``), added through an entry point (:mod:`.plugins`).
"""

from __future__ import annotations

import click

from graph_engine.cli import analysis, bulk, demo, identity, mail, serve
from graph_engine.cli.plugins import add_installed_commands

__all__ = ["main"]


@click.group()
@click.version_option(package_name="graph_engine")
def main() -> None:
    """graph_engine: partnerships and access rights as a graph."""


for command in (
    serve.serve,
    serve.export_schema,
    demo.demo,
    identity.create_operator_key,
    mail.mail_relay,
    bulk.backup_command,
    bulk.restore,
    bulk.import_command,
    analysis.analyze,
    analysis.export,
    analysis.draw,
):
    main.add_command(command)
add_installed_commands(main)
