"""Raw import and export: the same graph in, the same graph out, on every store."""

from __future__ import annotations

import pytest
from builders import T0, article, request

from graph_engine.errors import GraphEngineError
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.base import GraphStore


async def test_export_returns_what_the_operations_wrote(store: GraphStore) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    data = await store.export_graph()
    labels = sorted({n.label for n in data.nodes})
    assert labels == ["AuthorizationRequest", "Environment", "Organisation", "Partnership", "User"]
    assert len(data.nodes) == 10
    types = sorted(r.type for r in data.relationships)
    assert types.count("CONNECTED_WITH") == 2
    assert types.count("MEMBER_OF") == 4
    assert types.count("BETWEEN") == 2
    assert all("_lock" not in n.props for n in data.nodes)


async def test_an_export_imports_into_an_empty_store_unchanged(store: GraphStore) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    before = await store.export_graph()
    await store.clear()
    assert await store.export_graph() == GraphData()
    await store.import_graph(before)
    assert await store.export_graph() == before
    decision = await store.can_invite(inviter_id="bas", invitee_id="anna", organisation_id="o")
    assert decision.allowed


async def test_an_import_naming_an_unknown_label_writes_nothing(store: GraphStore) -> None:
    bad = GraphData(nodes=(NodeRecord("User", "u1", {"name": "x"}), NodeRecord("Robot", "r1", {})))
    with pytest.raises(GraphEngineError) as err:
        await store.import_graph(bad)
    assert err.value.code == "INVALID_INPUT"
    assert await store.export_graph() == GraphData()


async def test_an_import_with_a_dangling_relationship_writes_nothing(store: GraphStore) -> None:
    bad = GraphData(
        nodes=(NodeRecord("Environment", "e1", {"name": "x", "emailDomain": "e1.example"}),),
        relationships=(RelRecord("MEMBER_OF", "ghost", "e1", {"role": "USER"}),),
    )
    with pytest.raises(GraphEngineError) as err:
        await store.import_graph(bad)
    assert (err.value.code, err.value.details) == ("INVALID_INPUT", {"id": "ghost"})
    assert await store.export_graph() == GraphData()


async def test_an_import_of_a_node_that_could_not_be_found_again_writes_nothing(
    store: GraphStore,
) -> None:
    bad = GraphData(
        nodes=(
            NodeRecord("Environment", "e1", {"name": "x", "emailDomain": "e1.example"}),
            NodeRecord("User", "u1", {"name": "no address"}),
        )
    )
    with pytest.raises(GraphEngineError) as err:
        await store.import_graph(bad)
    assert (err.value.code, err.value.details) == (
        "INVALID_INPUT",
        {"id": "u1", "property": "email"},
    )
    assert await store.export_graph() == GraphData()


async def test_the_store_answers_a_ping(store: GraphStore) -> None:
    assert await store.ping() is True
