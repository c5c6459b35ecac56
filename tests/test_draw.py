"""`graph-engine draw`: pictures that hold up at any size, in SVG and PNG.

The SVG is measured in headless Chromium (real fonts, real boxes), the PNG pixel by pixel
with Pillow; the PNG's dependency (the ``draw`` extra) is hidden to see the message a user
without it gets, and numpy, scipy and matplotlib are hidden from the whole package.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from playwright.sync_api import Page, sync_playwright
from serving import console_script

from graph_engine.analysis.export import draw, neighbourhood
from graph_engine.analysis.layout import SPACING, layout
from graph_engine.analysis.picture import Scene, scene, to_svg
from graph_engine.analysis.png import write_png

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def staff_graph(users: int, organisations: int) -> nx.MultiDiGraph[str]:
    """An environment with many users, each with access to one of its organisations,
    and a few long names (the ones that used to be cut off at the right edge)."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_node("env", label="Environment", name="Uitzendbureau met een heel lange naam B.V.")
    for o in range(organisations):
        graph.add_node(f"org{o}", label="Organisation", name=f"Werkmaatschappij {o}")
        graph.add_edge(f"org{o}", "env", type="BELONGS_TO")
    for u in range(users):
        graph.add_node(f"usr{u}", label="User", name=f"Medewerker Wijnbergen-Zuid {u}")
        graph.add_edge(f"usr{u}", "env", type="MEMBER_OF")
        graph.add_edge(f"usr{u}", f"org{u % organisations}", type="HAS_ACCESS")
    graph.add_node("lic", label="Licence", name="EF-0001")
    graph.add_edge("lic", "usr0", type="ASSIGNED_TO")
    graph.add_edge("usr1", "usr0", type="CONNECTED_WITH")
    return graph


def closest_pair(points: list[tuple[float, float]]) -> float:
    """The least distance between two points (a grid of SPACING cells: fast at any size)."""
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for x, y in points:
        cells.setdefault((int(x // SPACING), int(y // SPACING)), []).append((x, y))
    best = math.inf
    for (cx, cy), here in cells.items():
        near = [
            p for dx in (-1, 0, 1) for dy in (-1, 0, 1) for p in cells.get((cx + dx, cy + dy), [])
        ]
        for a in here:
            for b in near:
                if a != b:
                    best = min(best, math.dist(a, b))
    return best


@pytest.mark.parametrize("users", [600, 3000])
def test_layout_centres_the_centre_and_keeps_nodes_apart_at_any_size(users: int) -> None:
    graph = staff_graph(users, 12)
    started = time.perf_counter()
    picture = scene(graph, "usr0")
    took = time.perf_counter() - started
    assert took < 10, f"laying out {users} users took {took:.1f} s"
    assert len(picture.nodes) == graph.number_of_nodes()
    centre = next(n for n in picture.nodes if n.center)
    assert centre.id == "usr0"
    assert centre.xy == (picture.width / 2, picture.height / 2)
    assert closest_pair([n.xy for n in picture.nodes]) >= SPACING - 1e-6
    # Rings by distance: every node is further out than every node nearer the centre.
    steps = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), "usr0")
    radius: dict[int, list[float]] = {}
    for n in picture.nodes:
        radius.setdefault(steps[n.id], []).append(math.dist(n.xy, centre.xy))
    for d in range(1, max(radius)):
        assert max(radius[d]) < min(radius[d + 1])
    positions = layout(graph, "usr0")
    assert positions["usr0"] == (0.5, 0.5)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in positions.values())


@pytest.fixture(scope="module")
def small() -> tuple[nx.MultiDiGraph[str], Scene]:
    graph = staff_graph(40, 3)
    around = neighbourhood(graph, "usr0", 2)
    return around, scene(around, "usr0", "40 users around usr0")


@pytest.fixture(scope="module")
def browser_page() -> Iterator[Page]:
    assert shutil.which("chromium"), "Chromium is missing: the test command installs it"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_the_svg_has_arrows_labels_and_a_legend_and_nothing_is_cut_off(
    small: tuple[nx.MultiDiGraph[str], Scene], browser_page: Page, tmp_path: Path
) -> None:
    graph, picture = small
    out = tmp_path / "picture.svg"
    out.write_text(to_svg(picture), encoding="utf-8")
    page = browser_page
    page.goto(out.as_uri())
    # Every shape and every text as Chromium lays it out (rotated labels included).
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('circle, polygon, text, line')].map(e => {
             const r = e.getBoundingClientRect();
             return {tag: e.tagName, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
           })"""
    )
    assert len(boxes) > 3 * graph.number_of_nodes()
    for box in boxes:
        assert min(box["left"], box["top"]) >= 0, box
        assert box["right"] <= picture.width, box
        assert box["bottom"] <= picture.height, box
    svg = page.locator("svg")
    names = svg.locator("g[data-id] text.name").all_text_contents()
    assert sorted(names) == sorted(str(a["name"]) for _, a in graph.nodes(data=True))
    # One line per pair of nodes, an arrowhead per direction, the types along the line.
    pairs = {frozenset((a, b)) for a, b in graph.edges()}
    assert svg.locator("g[data-start]").count() == len(pairs)
    directed = {(a, b) for a, b in graph.edges()}
    assert svg.locator("polygon.arrow").count() == len(directed)
    types = {t for text in svg.locator("text.type").all_text_contents() for t in text.split(", ")}
    assert types == {d["type"] for _, _, d in graph.edges(data=True)}
    legend = svg.locator("text.legend-entry").all_text_contents()
    assert {"Environment", "Organisation", "User", "Licence"} <= set(legend)
    centre = svg.locator("g.center circle")
    assert float(centre.get_attribute("cx") or "nan") == picture.width / 2
    assert float(centre.get_attribute("cy") or "nan") == picture.height / 2


def test_the_png_has_the_centre_in_the_middle_arrows_labels_and_white_edges(
    small: tuple[nx.MultiDiGraph[str], Scene], tmp_path: Path
) -> None:
    from PIL import Image  # noqa: PLC0415 - the draw extra

    _, picture = small
    out = tmp_path / "picture.png"
    write_png(picture, out)
    image = Image.open(out).convert("RGB")
    assert image.size == (round(picture.width), round(picture.height))
    w, h = image.size
    middle = image.getpixel((w // 2, h // 2))
    assert isinstance(middle, tuple)
    # The centre user's colour (within what scaling down the smooth drawing shifts).
    assert all(abs(a - b) <= 6 for a, b in zip(middle, (0xF2, 0x8E, 0x2B), strict=True)), middle
    # Nothing reaches the edges: the outermost rows and columns are white.
    border = [image.getpixel((x, y)) for x in range(w) for y in (0, h - 1)]
    border += [image.getpixel((x, y)) for y in range(h) for x in (0, w - 1)]
    assert set(border) == {(255, 255, 255)}

    def dark(x: float, y: float) -> bool:
        return sum(image.getpixel((round(x), round(y)))) < 3 * 140  # type: ignore[arg-type]

    # Each arrowhead is filled: its centroid is dark.
    for edge in picture.edges:
        for head in edge.heads:
            cx = sum(p[0] for p in head) / 3
            cy = sum(p[1] for p in head) / 3
            assert dark(cx, cy), (edge.start, edge.end)
    # Each node's name is written: dark pixels in the box right of the node.
    for node in picture.nodes:
        t = node.name
        inked = [
            dark(x, y)
            for x in range(round(t.x), round(t.x + 6 * t.size))
            for y in range(round(t.y - t.size * 0.7), round(t.y))
        ]
        assert any(inked), node.id


def test_draw_writes_both_formats_at_a_few_thousand_nodes(tmp_path: Path) -> None:
    graph = staff_graph(3000, 20)
    for suffix in ("svg", "png"):
        out = tmp_path / f"big.{suffix}"
        started = time.perf_counter()
        count = draw(graph, "usr0", 2, out)
        took = time.perf_counter() - started
        assert count == graph.number_of_nodes()
        assert took < 60, f"{suffix} of {count} nodes took {took:.1f} s"
        assert out.stat().st_size > 100_000


BLOCK = """
import sys
class Hidden:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Hidden())
"""


def _without(modules: set[str], code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", BLOCK.format(blocked=sorted(modules)) + code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_png_without_the_draw_extra_says_what_to_install(tmp_path: Path) -> None:
    out = tmp_path / "carla.png"
    done = _without(
        {"PIL"},
        "from graph_engine.cli import main; main(prog_name='graph-engine')",
        "draw",
        "--around",
        "usr_carla",
        "--out",
        str(out),
    )
    assert done.returncode == 1, done
    assert "pip install 'graph_engine[draw]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_nothing_in_the_package_needs_numpy_scipy_matplotlib_or_pillow(tmp_path: Path) -> None:
    """Every module imports; the explorer's layout, an SVG, the reports and the exports
    work, with all four hidden."""
    code = """
import importlib, pkgutil, sys
import graph_engine
for found in pkgutil.walk_packages(graph_engine.__path__, "graph_engine."):
    importlib.import_module(found.name)
import networkx as nx
from graph_engine.analysis.export import layout
graph = nx.MultiDiGraph([(str(i), str(i // 3)) for i in range(1, 900)])
assert layout(graph, "0")["0"] == (0.5, 0.5)
from graph_engine.cli import main
folder = sys.argv[1]
for args in (
    ["draw", "--around", "usr_carla", "--out", folder + "/carla.svg"],
    ["analyze", "--json"],
    ["export", "--format", "graphml", "--out", folder + "/graph.graphml"],
    ["export", "--format", "json", "--out", folder + "/graph.json"],
):
    main(args, prog_name="graph-engine", standalone_mode=False)
"""
    done = _without({"numpy", "scipy", "matplotlib", "PIL"}, code, str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "carla.svg").read_text(encoding="utf-8").startswith("<svg")
    assert (tmp_path / "graph.graphml").stat().st_size > 1000
    assert (tmp_path / "graph.json").stat().st_size > 1000
    assert '"missing_connections"' in done.stdout


def test_draw_command_refuses_an_unknown_node_and_a_wrong_suffix(tmp_path: Path) -> None:
    for args, said in (
        (["--around", "nobody", "--out", str(tmp_path / "x.svg")], "NOT_FOUND"),
        (["--around", "usr_carla", "--out", str(tmp_path / "x.gif")], ".svg or .png"),
    ):
        done = subprocess.run(  # noqa: S603 - our own console script
            [console_script(), "draw", *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode != 0
        assert said in done.stderr
        assert "Traceback" not in done.stderr
