"""``analyze``, ``export``, ``draw``: the analyst's tools over a snapshot of the graph."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from graph_engine import demo as demo_data
from graph_engine.cli.common import neo4j_option, run, snapshot_option
from graph_engine.settings import Settings

if TYPE_CHECKING:
    from graph_engine.analysis.snapshot import Graph


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

    graph = run(work)
    start = "\r" if redraw else ""
    click.echo(
        f"{start}read {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} relationships",
        err=True,
    )
    return graph


@click.command()
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


@click.command()
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


@click.command()
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
