"""The analyst's snapshot and reports, on both stores, against brute force over raw edge lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import oracle
from builders import T0, env, user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import access_graphs

from graph_engine.analysis import ReportOptions, analyze, snapshot
from graph_engine.analysis.export import neighbourhood, read_json, svg, write_graphml, write_json
from graph_engine.model import GraphData
from graph_engine.store.base import GraphStore

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CREATED = datetime(2025, 6, 1, tzinfo=UTC)
EXAMPLES = 60


@st.composite
def analysis_graphs(draw: st.DrawFn) -> dict[str, Any]:
    """A random access graph with dossiers and maintenance windows added."""
    raw: dict[str, Any] = draw(access_graphs())
    users = [n["id"] for n in raw["nodes"] if n["label"] == "User"]
    envs = [n["id"] for n in raw["nodes"] if n["label"] == "Environment"]
    for i in range(draw(st.integers(0, 6))):
        raw["nodes"].append(
            {"label": "Dossier", "id": f"d{i}", "props": {"name": f"D{i}", "kind": "CANDIDATE"}}
        )
        raw["relationships"].append(
            {
                "type": "RESPONSIBLE",
                "start": f"d{i}",
                "end": draw(st.sampled_from(users)),
                "props": {},
            }
        )
    for i in range(draw(st.integers(0, 4))):
        hours_ago = draw(st.sampled_from([-5, 1, 23, 25, 100]))
        props: dict[str, Any] = {
            "startsAt": NOW - timedelta(hours=hours_ago),
            "createdBy": users[0],
        }
        if draw(st.booleans()):
            props["endedAt"] = NOW
        raw["nodes"].append({"label": "MaintenanceWindow", "id": f"w{i}", "props": props})
        raw["relationships"].append(
            {"type": "FOR", "start": f"w{i}", "end": draw(st.sampled_from(envs)), "props": {}}
        )
    # A vendor (the first environment) with relations; some linked to other environments
    vendor = envs[0]
    customers = envs[1:]
    linked: set[str] = set()
    for i in range(draw(st.integers(0, 3))):
        relation = f"r{i}"
        raw["nodes"].append({"label": "Relation", "id": relation, "props": {"name": f"R{i}"}})
        raw["relationships"].append({"type": "IN", "start": relation, "end": vendor, "props": {}})
        free = [c for c in customers if c not in linked]
        link_it: bool = draw(st.booleans())
        if free and link_it:
            customer = draw(st.sampled_from(free))
            linked.add(customer)
            # The link sits on the relation's active subscription.
            sub = f"s{i}"
            raw["nodes"].append(
                {"label": "Subscription", "id": sub, "props": {"active": True, "createdAt": NOW}}
            )
            raw["relationships"].append({"type": "OF", "start": sub, "end": relation, "props": {}})
            raw["relationships"].append(
                {
                    "type": "LINKED_TO",
                    "start": sub,
                    "end": customer,
                    "props": {"database": "db", "contractant": customer, "linkedAt": NOW},
                }
            )
        for k in range(draw(st.integers(0, 3))):
            task = f"t{i}_{k}"
            status = draw(st.sampled_from(["OPEN", "CLOSED"]))
            raw["nodes"].append(
                {"label": "Task", "id": task, "props": {"title": task, "status": status}}
            )
            raw["relationships"].append(
                {"type": "CONCERNS", "start": task, "end": relation, "props": {}}
            )
    # Licences for some users; some rights held by someone else
    accesses = [r for r in raw["relationships"] if r["type"] == "HAS_ACCESS"]
    for i, holder in enumerate(draw(st.lists(st.sampled_from(users), unique=True, max_size=4))):
        licence = f"l{i}"
        raw["nodes"].append(
            {"label": "Licence", "id": licence, "props": {"number": f"N{i}", "startedAt": NOW}}
        )
        raw["relationships"].append(
            {"type": "ASSIGNED_TO", "start": licence, "end": holder, "props": {}}
        )
    taken: set[tuple[str, str]] = set()
    for access in draw(st.lists(st.sampled_from(accesses), max_size=4)) if accesses else []:
        pair = (access["start"], access["end"])
        if pair in taken:
            continue
        taken.add(pair)
        raw["relationships"].append(
            {
                "type": "HOLDS_RIGHTS_OF",
                "start": draw(st.sampled_from(users)),
                "end": access["start"],
                "props": {"organisation": access["end"]},
            }
        )
    return raw


def as_graph_data(raw: dict[str, Any]) -> GraphData:
    nodes = [{**n, "props": {"createdAt": CREATED, **n["props"]}} for n in raw["nodes"]]
    return GraphData.from_dict({"nodes": nodes, "relationships": raw["relationships"]})


# -- brute force over the raw lists, written without the snapshot ----------------------
def home(raw: dict[str, Any], node_id: str) -> str | None:
    for r in raw["relationships"]:
        if r["start"] == node_id and r["type"] in ("MEMBER_OF", "BELONGS_TO"):
            return str(r["end"])
    return None


def props_of(raw: dict[str, Any], node_id: str) -> dict[str, Any]:
    return next(n["props"] for n in raw["nodes"] if n["id"] == node_id)


def brute_cross_access(raw: dict[str, Any]) -> set[tuple[str, str, str | None]]:
    out = set()
    for r in raw["relationships"]:
        if r["type"] != "HAS_ACCESS" or home(raw, r["start"]) == home(raw, r["end"]):
            continue
        pair = {home(raw, r["start"]), home(raw, r["end"])}
        grants = sorted(
            p["start"]
            for p in raw["relationships"]
            if p["type"] == "BETWEEN"
            and {
                q["end"]
                for q in raw["relationships"]
                if q["type"] == "BETWEEN" and q["start"] == p["start"]
            }
            == pair
        )
        out.add((r["start"], r["end"], grants[0] if grants else None))
    return out


def brute_inactive_dossiers(raw: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (r["start"], r["end"])
        for r in raw["relationships"]
        if r["type"] == "RESPONSIBLE" and props_of(raw, r["end"]).get("active", True) is False
    }


def brute_long_maintenance(raw: dict[str, Any], hours: float) -> set[str]:
    return {
        n["id"]
        for n in raw["nodes"]
        if n["label"] == "MaintenanceWindow"
        and "endedAt" not in n["props"]
        and n["props"]["startsAt"] <= NOW - timedelta(hours=hours)
    }


def brute_unlinked(raw: dict[str, Any]) -> set[str]:
    """Environments partnered with a vendor (one that holds relations), not vendors
    themselves, that no relation links."""
    rels = raw["relationships"]
    vendors = {r["end"] for r in rels if r["type"] == "IN"}
    linked = {r["end"] for r in rels if r["type"] == "LINKED_TO"}
    sides: dict[str, set[str]] = {}
    for r in rels:
        if r["type"] == "BETWEEN":
            sides.setdefault(r["start"], set()).add(r["end"])
    customers = {e for pair in sides.values() if pair & vendors for e in pair}
    return customers - vendors - linked


def brute_orphan_tasks(raw: dict[str, Any]) -> set[str]:
    rels = raw["relationships"]
    linking_subs = {r["start"] for r in rels if r["type"] == "LINKED_TO"}
    linking = {r["end"] for r in rels if r["type"] == "OF" and r["start"] in linking_subs}
    return {
        r["start"]
        for r in rels
        if r["type"] == "CONCERNS"
        and r["end"] not in linking
        and props_of(raw, r["start"])["status"] == "OPEN"
    }


def brute_rights(raw: dict[str, Any]) -> set[tuple[str, str, str]]:
    rels = raw["relationships"]
    licensed = {r["end"] for r in rels if r["type"] == "ASSIGNED_TO"}
    out = set()
    for access in (r for r in rels if r["type"] == "HAS_ACCESS"):
        employee, company = access["start"], access["end"]
        explicit = sorted(
            r["start"]
            for r in rels
            if r["type"] == "HOLDS_RIGHTS_OF"
            and r["end"] == employee
            and r["props"]["organisation"] == company
        )
        holder = explicit[0] if explicit else employee
        per_licence = props_of(raw, str(home(raw, holder))).get("billing") == "PER_LICENCE"
        if props_of(raw, holder).get("active", True) is False or (
            holder not in licensed and per_licence
        ):
            out.add((employee, company, holder))
    return out


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=analysis_graphs())
async def test_reports_equal_brute_force(store: GraphStore, raw: dict[str, Any]) -> None:
    await store.clear()  # the store is reused by every example: start each from nothing
    await store.import_graph(as_graph_data(raw))
    graph = await snapshot(store, page_size=7)  # small pages: the paging is exercised too
    found = analyze(graph, ReportOptions(now=NOW, maintenance_hours=24))

    missing = {frozenset((r["user"], r["peer"])) for r in found["missing_connections"]}
    assert missing == oracle.unordered_pairs(oracle.missing_connections(raw))
    assert len(found["missing_connections"]) == len(missing)  # one row per pair
    cross = {
        (r["user"], r["organisation"], r["partnership"]) for r in found["cross_environment_access"]
    }
    assert cross == brute_cross_access(raw)
    dossiers = {(r["dossier"], r["responsible"]) for r in found["dossiers_of_inactive_users"]}
    assert dossiers == brute_inactive_dossiers(raw)
    windows = {r["window"] for r in found["long_open_maintenance"]}
    assert windows == brute_long_maintenance(raw, 24)
    assert {r["contractant"] for r in found["unlinked_contractants"]} == brute_unlinked(raw)
    orphans = {r["task"] for r in found["open_tasks_on_unlinked_relations"]}
    assert orphans == brute_orphan_tasks(raw)
    rights = {
        (r["employee"], r["workCompany"], r["holder"])
        for r in found["rights_held_by_inactive_or_unlicensed"]
    }
    assert rights == brute_rights(raw)


async def test_the_snapshot_holds_everything_but_secrets(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1", password_hash="$argon2id$secret")
    await store.create_session(session_id="s1", user_id="u1", token_hash="abc", at=T0)
    graph = await snapshot(store, page_size=1)
    exported = await store.export_graph()
    assert graph.number_of_nodes() == len(exported.nodes) == 3
    assert graph.number_of_edges() == len(exported.relationships) == 2
    assert "passwordHash" not in graph.nodes["u1"]
    assert "tokenHash" not in graph.nodes["s1"]
    assert graph.nodes["u1"]["label"] == "User"
    assert graph.nodes["u1"]["createdAt"] == T0  # a Python datetime, whatever the store


async def test_exports_read_back_with_the_same_counts(store: GraphStore, tmp_path: Path) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1")
    await user(store, "u2", "e1")
    graph = await snapshot(store)
    write_json(graph, tmp_path / "g.json")
    again = read_json(tmp_path / "g.json")
    assert (again.number_of_nodes(), again.number_of_edges()) == (3, 2)
    write_graphml(graph, tmp_path / "g.graphml")
    assert "<graphml" in (tmp_path / "g.graphml").read_text(encoding="utf-8")
    around = neighbourhood(graph, "u1", 1)
    assert set(around.nodes) == {"u1", "e1"}
    assert set(neighbourhood(graph, "u1", 2).nodes) == {"u1", "e1", "u2"}
    picture = svg(around, "u1")
    assert picture.startswith("<svg")
    assert 'data-id="u1"' in picture
