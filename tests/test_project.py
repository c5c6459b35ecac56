"""The project's promises about itself: queries, schema export, README and CI agree with the code."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path
from types import ModuleType

from conftest import STORE_FIXTURES, STORES

from graph_engine.api.schema import sdl
from graph_engine.store.base import WRITE_OPERATIONS, GraphStore
from graph_engine.store.cypher import Queries
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore
from graph_engine.store.registry import registered

ROOT = Path(__file__).resolve().parent.parent


def _query_names_used_in_code() -> set[str]:
    """String literals the Neo4j store passes to calls or looks up by subscript."""
    used: set[str] = set()
    for path in (ROOT / "graph_engine" / "store" / "neo4j").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                candidates = node.args[:2]
            elif isinstance(node, ast.Subscript):
                candidates = [node.slice]
            else:
                continue
            used.update(
                c.value
                for c in candidates
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            )
    return used


def test_every_query_the_store_declares_has_a_file_and_every_file_is_declared() -> None:
    files = Queries().names()
    declared = Neo4jStore.required_queries()
    assert declared - files == set(), "declared but no .cypher file"
    assert files - declared == set(), ".cypher file no operation declares"


def test_every_declared_query_is_run_somewhere() -> None:
    unused = Neo4jStore.required_queries() - _query_names_used_in_code()
    assert unused == set()


def test_queries_are_parameterised_never_formatted() -> None:
    # A Python format field such as {name} in a statement would mean values get spliced in.
    for name in Queries().names():
        assert not re.search(r"\{\s*[A-Za-z_]\w*\s*\}", Queries()[name]), name
    for path in (ROOT / "graph_engine" / "store").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".format(" not in source, path.name
        assert "% (" not in source, path.name


def test_schema_graphql_is_the_export_of_the_code() -> None:
    exported = sdl()
    assert (ROOT / "schema.graphql").read_text(encoding="utf-8") == exported, (
        "schema.graphql is stale: run graph-engine schema --out schema.graphql"
    )


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert first_block is not None
    assert readme.index("```sh") < readme.index("\n## ")
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["scripts/serve", "scripts/test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    run_lines = [
        line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")
    ]
    assert run_lines[-1] == "exec scripts/test"
    for script in ("scripts/serve", "scripts/test", ".ci/run"):
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"


# A store may be left out of the conformance fixture only by name, with the reason
# (SpiceDB's AllWithExceptions). None is today.
CONFORMANCE_EXCEPTIONS: dict[str, str] = {}


def test_every_registered_store_is_in_the_conformance_fixture() -> None:
    stores = set(registered())
    assert stores, "no store registered itself (graph_engine.store.registry)"
    assert set(STORES) == stores
    missing = stores - set(STORE_FIXTURES) - set(CONFORMANCE_EXCEPTIONS)
    assert missing == set(), "registered, but no fixture in conftest.STORE_FIXTURES"
    assert set(STORE_FIXTURES) <= stores, "a fixture for a store nobody registered"
    assert set(CONFORMANCE_EXCEPTIONS) <= stores
    assert all(reason.strip() for reason in CONFORMANCE_EXCEPTIONS.values())


def _benchmark(path: Path) -> ModuleType:
    """Import a benchmark script (it imports its siblings from its own folder)."""
    spec = importlib.util.spec_from_file_location(f"_benchmark_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_registered_store_is_benchmarked_or_skipped_with_a_reason() -> None:
    # Each benchmark declares the stores it runs (STORES) and those it leaves out, with
    # the reason (SKIPPED); a store registered later fails here until every benchmark
    # runs it or says why not.
    stores = set(registered())
    benches = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    assert benches
    for path in benches:
        bench = _benchmark(path)
        runs = set(bench.STORES)
        skipped: dict[str, str] = getattr(bench, "SKIPPED", {})
        assert runs <= stores, f"{path.name} runs a store nobody registered"
        assert not runs & set(skipped), f"{path.name} both runs and skips a store"
        missing = stores - runs - set(skipped)
        assert missing == set(), f"{path.name} neither runs nor skips {sorted(missing)}"
        assert all(reason.strip() for reason in skipped.values()), path.name


def _neo4j_write_operations() -> set[str]:
    """Public Neo4j store methods that run a write statement or a write transaction."""
    found: set[str] = set()
    for path in (ROOT / "graph_engine" / "store" / "neo4j").glob("*.py"):
        for cls in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(cls, ast.ClassDef):
                continue
            for method in cls.body:
                if not isinstance(method, ast.AsyncFunctionDef) or method.name.startswith("_"):
                    continue
                for node in ast.walk(method):
                    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                        continue
                    writes = node.func.attr in {"_write", "_transaction"} or (
                        node.func.attr in {"_one", "_run"}
                        and any(
                            k.arg == "write" and isinstance(k.value, ast.Constant) and k.value.value
                            for k in node.keywords
                        )
                    )
                    if writes:
                        found.add(method.name)
    return found


def test_every_write_operation_carries_the_audit_event_on_both_stores() -> None:
    # The memory store wraps exactly these (store/memory/__init__.py); the Neo4j store
    # writes the event in any write transaction. A write missing here would leave the
    # memory store's mutations without their event in the same transaction.
    protocol = {name for name in dir(GraphStore) if not name.startswith("_")}
    # record_audit_event is the event's own write (for a mutation that wrote nothing).
    writes = _neo4j_write_operations() & protocol - {"record_audit_event"}
    assert writes == set(WRITE_OPERATIONS)
    for name in WRITE_OPERATIONS:
        assert getattr(MemoryStore, name).__wrapped__, name
