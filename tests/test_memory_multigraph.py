"""The memory store's multigraph: what it shares to stay small, and what it must not change.

The conformance suite proves the store's behaviour through its operations; these tests
pin the structure's own promises (store/memory/multigraph.py).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest

from graph_engine.store.memory.multigraph import Multigraph

AT = datetime(2026, 1, 1, tzinfo=UTC)


def copy(text: str) -> str:
    """An equal string that is another object (as every string read from a file is)."""
    return "".join(list(text))


def graph(*ids: str) -> Multigraph:
    g = Multigraph()
    for node_id in ids:
        g.add_node(node_id, label="User", id=node_id)
    return g


def test_edges_with_equal_string_properties_share_one_map() -> None:
    g = graph("u1", "u2", "e1")
    g.add_edge("u1", "e1", type="MEMBER_OF", role="USER")
    g.add_edge("u2", "e1", type=copy("MEMBER_OF"), role=copy("USER"))
    (_, first), (_, second) = g.sources_of("e1", "MEMBER_OF")
    assert first is second


def test_edges_with_a_datetime_keep_their_own_map() -> None:
    g = graph("u1", "u2", "u3")
    g.add_edge("u1", "u2", type="CONNECTED_WITH", since=AT, via="MANUAL")
    g.add_edge("u1", "u3", type="CONNECTED_WITH", since=AT, via="MANUAL")
    (_, first), (_, second) = g.targets_of("u1", "CONNECTED_WITH")
    assert first == second
    assert first is not second


def test_edge_properties_cannot_be_changed_in_place() -> None:
    g = graph("u1", "e1")
    g.add_edge("u1", "e1", type="MEMBER_OF", role="USER")
    data = g.get_edge_data("u1", "e1", "MEMBER_OF")
    assert data is not None
    with pytest.raises(TypeError, match="add the edge again"):
        data["role"] = "ADMIN"  # type: ignore[index]
    with pytest.raises(TypeError, match="add the edge again"):
        data.update(role="ADMIN")  # type: ignore[attr-defined]
    assert g.get_edge_data("u1", "e1", "MEMBER_OF") == {"type": "MEMBER_OF", "role": "USER"}


def test_adding_an_edge_again_updates_it_in_its_place() -> None:
    g = graph("u1", "o1", "o2", "e1")
    g.add_edge("u1", "o1", type="HAS_ACCESS", role="USER", note="kept")
    g.add_edge("u1", "o2", type="HAS_ACCESS", role="USER")
    g.add_edge("u1", "o1", type="HAS_ACCESS", role="ADMIN")
    assert [(t, dict(d)) for t, d in g.targets_of("u1", "HAS_ACCESS")] == [
        ("o1", {"type": "HAS_ACCESS", "role": "ADMIN", "note": "kept"}),
        ("o2", {"type": "HAS_ACCESS", "role": "USER"}),
    ]
    assert g.number_of_edges() == 2


def test_one_pair_holds_several_edges_by_key() -> None:
    g = graph("holder", "employee")
    g.add_edge("holder", "employee", type="HOLDS_RIGHTS_OF", organisation="o1", since=AT)
    g.add_edge("holder", "employee", type="CONNECTED_WITH", since=AT, via="MANUAL")
    g.add_edge("holder", "employee", type="HOLDS_RIGHTS_OF", organisation="o2", since=AT)
    assert [d["organisation"] for _, d in g.sources_of("employee", "HOLDS_RIGHTS_OF")] == [
        "o1",
        "o2",
    ]
    g.remove_edge("holder", "employee", "HOLDS_RIGHTS_OF:o1")
    assert g.has_edge("holder", "employee", "HOLDS_RIGHTS_OF:o2")
    assert not g.has_edge("holder", "employee", "HOLDS_RIGHTS_OF:o1")
    assert g.number_of_edges() == 2
    g.remove_edge("holder", "employee", "HOLDS_RIGHTS_OF:o2")
    g.remove_edge("holder", "employee", "CONNECTED_WITH")
    assert not g.has_edge("holder", "employee")
    assert list(g.edges()) == []
    with pytest.raises(KeyError):
        g.remove_edge("holder", "employee", "CONNECTED_WITH")


def test_removing_a_node_removes_its_edges_both_ways() -> None:
    g = graph("a", "b", "c")
    g.add_edge("a", "b", type="REPORTS_TO")
    g.add_edge("c", "a", type="REPORTS_TO")
    g.add_edge("a", "a", type="CONNECTED_WITH", since=AT, via="MANUAL")
    g.add_edge("b", "c", type="REPORTS_TO")
    g.remove_node("a")
    assert "a" not in g
    assert [(s, e) for s, e, _ in g.edges()] == [("b", "c")]
    assert g.number_of_edges() == 1
    assert list(g.in_edges("b")) == []


def test_edges_hold_the_nodes_own_ids_and_known_words_once() -> None:
    g = graph("u1", "e1")
    g.add_node("e2", label=copy("Environment"), id="e2", billing=copy("PER_LICENCE"))
    g.add_edge(copy("u1"), copy("e1"), type=copy("MEMBER_OF"), role="USER")
    ((start, end, data),) = g.edges()
    assert start is g.nodes["u1"]["id"]
    assert end is g.nodes["e1"]["id"]
    assert data["type"] is sys.intern("MEMBER_OF")
    assert g.nodes["e2"]["label"] is sys.intern("Environment")
    assert g.nodes["e2"]["billing"] is sys.intern("PER_LICENCE")


def test_an_edge_needs_both_nodes_and_its_own_key() -> None:
    g = graph("u1", "e1")
    with pytest.raises(KeyError, match="no node"):
        g.add_edge("u1", "nowhere", type="MEMBER_OF", role="USER")
    with pytest.raises(ValueError, match="is not"):
        g.add_edge("u1", "e1", key="BELONGS_TO", type="MEMBER_OF", role="USER")
    assert g.number_of_edges() == 0
