"""Reassign 50,000 dossiers in one call (DESIGN §3.3), on each store.

    python benchmarks/bench_reassign.py                        # 50k dossiers, both stores
    python benchmarks/bench_reassign.py --dossiers 200000 --stores neo4j

The leaving user's dossiers sit among other users' (ten colleagues with as many
each), so the filter has to pick them out. Timed: one ``reassign_dossiers`` by
"responsible contains" of every match, in one transaction. Without ``--neo4j``
(or ``GRAPH_ENGINE_NEO4J_URI``) a local Neo4j is started; the Neo4j store is
cleared before loading.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import time
from datetime import UTC, datetime
from typing import Any

from graph_engine_devtools import neo4j_local

from graph_engine.model import DossierFilter, GraphData, NodeRecord, PageRequest, RelRecord
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")
AT = datetime(2026, 3, 1, tzinfo=UTC)


def graph(dossiers: int, colleagues: int = 10) -> GraphData:
    nodes = [
        NodeRecord(
            "Environment",
            "env",
            {"name": "Bureau", "emailDomain": "bureau.example", "createdAt": AT},
        )
    ]
    rels: list[RelRecord] = []
    people = ["leaver", "successor"] + [f"colleague{i}" for i in range(colleagues)]
    for person in people:
        name = {"leaver": "Piet Jansen", "successor": "Kees de Vries"}.get(
            person, f"Collega {person}"
        )
        nodes.append(
            NodeRecord(
                "User",
                person,
                {
                    "email": f"{person}@bureau.example",
                    "username": person,
                    "name": name,
                    "active": True,
                    "loginBlocked": False,
                    "createdAt": AT,
                },
            )
        )
        rels.append(
            RelRecord(
                "MEMBER_OF", person, "env", {"role": "ADMIN" if person == "successor" else "USER"}
            )
        )
    owners = ["leaver"] + [p for p in people if p.startswith("colleague")]
    for owner in owners:
        for i in range(dossiers):
            dossier = f"dos_{owner}_{i:07d}"
            nodes.append(
                NodeRecord(
                    "Dossier",
                    dossier,
                    {"name": f"Kandidaat {i}", "kind": "CANDIDATE", "createdAt": AT},
                )
            )
            rels.append(RelRecord("RESPONSIBLE", dossier, owner, {"since": AT}))
    return GraphData(nodes=tuple(nodes), relationships=tuple(rels))


async def run(store: GraphStore, data: GraphData, dossiers: int) -> dict[str, Any]:
    start = time.perf_counter()
    if isinstance(store, Neo4jStore):
        await store.migrate()
        await store.clear()
        await store.import_graph_batched(data)
    else:
        await store.import_graph(data)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    moved = await store.reassign_dossiers(
        environment_id="env",
        where=DossierFilter(responsible_name_contains="piet"),
        dossier_ids=None,
        to_user_id="successor",
        at=AT,
    )
    seconds = time.perf_counter() - start
    if moved != dossiers:
        raise RuntimeError(f"moved {moved}, expected {dossiers}")
    left = await store.list_dossiers(
        environment_id="env", where=DossierFilter("leaver"), page=PageRequest(first=1, after=None)
    )
    if left.items:
        raise RuntimeError("dossiers left behind")
    return {"load_seconds": round(loaded, 1), "reassign_seconds": round(seconds, 2), "moved": moved}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    data = graph(args.dossiers)
    results: dict[str, Any] = {}
    # Neo4j when a store needs it: the one at --neo4j, or a local one for this run.
    neo4j = (
        neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
        if "neo4j" in stores
        else contextlib.nullcontext(args.neo4j)
    )
    with neo4j as uri:
        for name in stores:
            store: GraphStore = MemoryStore() if name == "memory" else Neo4jStore(uri or "")

            async def one(store: GraphStore = store) -> dict[str, Any]:
                try:
                    return await run(store, data, args.dossiers)
                finally:
                    await store.close()

            results[name] = asyncio.run(one())
            print(f"{name}: {results[name]}")
    print(
        json.dumps(
            {"benchmark": "reassign_dossiers", "dossiers": args.dossiers, "results": results}
        )
    )


if __name__ == "__main__":
    main()
