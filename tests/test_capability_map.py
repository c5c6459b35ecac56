"""The capability map holds in the store layer: the same capabilities in both stores,
one Cypher folder per capability named like the store modules that run its
statements, and conformance tests named after the capability they test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graph_engine.store.cypher import DuplicateQueryError, MissingQueryError, Queries

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "graph_engine" / "store"

# Modules of each store that serve every capability rather than one (the graph and
# its journal; the driver's plumbing, the row converters and the statements hot reads
# share).
SHARED_MODULES = {
    "memory": {"__init__", "graph", "multigraph", "journal"},
    "neo4j": {"__init__", "base", "batching", "convert"},
}


# Conformance files about a topic every capability shares, with the reason.
SHARED_CONFORMANCE = {
    "test_pagination.py": "every list of every capability pages the same way (store/pagination.py)",
    "test_reads_at_once.py": "hot reads of identity and partnerships asked at once"
    " (store/neo4j/batching.py)",
}


def _capabilities(store: str) -> set[str]:
    """``<capability>`` of each ``<capability>.py`` / ``<capability>_<part>.py`` of a store."""
    return {
        path.stem.split("_")[0]
        for path in (STORE / store).glob("*.py")
        if path.stem not in SHARED_MODULES[store]
    }


def _declared_by_module() -> dict[str, str]:
    """Each statement the Neo4j store declares, and the module (stem) declaring it."""
    declared: dict[str, str] = {}
    for path in (STORE / "neo4j").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == "QUERIES"
                and isinstance(node.value, ast.Tuple)
            ):
                for item in node.value.elts:
                    assert isinstance(item, ast.Constant)
                    assert isinstance(item.value, str)
                    declared[item.value] = path.stem
    return declared


def test_both_stores_have_a_module_for_every_capability_and_no_other() -> None:
    assert _capabilities("memory") == _capabilities("neo4j")
    for store in ("memory", "neo4j"):
        for capability in _capabilities(store):
            assert (STORE / store / f"{capability}.py").is_file(), (store, capability)


def test_every_statement_lives_in_the_folder_of_the_capability_that_runs_it() -> None:
    queries = Queries()
    declared = _declared_by_module()
    assert set(declared) == queries.names()
    misplaced = {
        name: (queries.capability(name), module)
        for name, module in declared.items()
        if queries.capability(name) != module.split("_")[0]
    }
    assert misplaced == {}


def test_the_statement_folders_are_the_capabilities_of_the_stores() -> None:
    folders = {path.name for path in Queries().folder.iterdir() if path.is_dir()}
    assert folders == _capabilities("neo4j")
    assert list(Queries().folder.glob("*.cypher")) == [], "a statement outside any capability"


def test_two_statements_of_one_name_fail_at_load(tmp_path: Path) -> None:
    for capability in ("identity", "partnerships"):
        (tmp_path / capability).mkdir()
        (tmp_path / capability / "ping.cypher").write_text("RETURN 1", encoding="utf-8")
    with pytest.raises(DuplicateQueryError, match=r"ping\.cypher is in two folders"):
        Queries(tmp_path)


def test_a_missing_statement_fails_when_required(tmp_path: Path) -> None:
    (tmp_path / "bulk").mkdir()
    (tmp_path / "bulk" / "ping.cypher").write_text("RETURN 1", encoding="utf-8")
    queries = Queries(tmp_path)
    queries.require(["ping"])
    with pytest.raises(MissingQueryError, match=r"clear\.cypher"):
        queries.require(["ping", "clear"])


def test_every_conformance_file_is_named_after_a_capability() -> None:
    capabilities = _capabilities("memory")
    for path in (ROOT / "tests" / "conformance").glob("test_*.py"):
        if path.name in SHARED_CONFORMANCE:
            continue
        capability = path.stem.removeprefix("test_").split("_")[0]
        assert capability in capabilities, f"{path.name}: test_<capability>[_<topic>].py"


# Layers a capability has no module in, with the reason.
NOT_IN_LAYER = {
    ("bulk", "api"): "loading, import, export and backup run from the command line, not GraphQL",
    ("bulk", "services"): "the command line calls the store's bulk protocol itself",
}
GRAPH_ENGINE = ROOT / "graph_engine"


def _in_layer(layer: str, capability: str) -> bool:
    base = GRAPH_ENGINE / layer
    return (base / f"{capability}.py").is_file() or (base / capability / "__init__.py").is_file()


@pytest.mark.parametrize("layer", ["api", "services", "store"])
def test_every_capability_has_its_module_in_every_layer(layer: str) -> None:
    """api/<cap>, services/<cap>, store/<cap> (its protocol), beside both stores' modules,
    queries/<cap>/ and tests/conformance/test_<cap>.py: one name through the layers."""
    missing = {
        cap
        for cap in _capabilities("memory")
        if not _in_layer(layer, cap) and (cap, layer) not in NOT_IN_LAYER
    }
    assert not missing, f"capabilities without a module in graph_engine/{layer}/: {missing}"
    stale = {key for key in NOT_IN_LAYER if key[1] == layer and _in_layer(layer, key[0])}
    assert not stale, f"opt-outs that no longer hold: {stale}"


def test_every_capability_has_its_conformance_tests() -> None:
    tests = ROOT / "tests" / "conformance"
    missing = {c for c in _capabilities("memory") if not (tests / f"test_{c}.py").is_file()}
    assert not missing, f"capabilities without tests/conformance/test_<capability>.py: {missing}"
