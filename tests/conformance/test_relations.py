"""Relation links, subscriptions and support tasks (DESIGN §3.4), on both stores."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, edge_count, env, node_count, partnership, user

from graph_engine.errors import GraphEngineError
from graph_engine.model import GraphData, NodeRecord, PageRequest, RelRecord, TaskStatus
from graph_engine.store.base import GraphStore


async def staff(store: GraphStore) -> None:
    """The vendor ``staff`` with relations ``old`` and ``new``, each with an active
    subscription (``sub_old``, ``sub_new``: a link sits on one); customer contractants
    ``cust`` and ``other``, both Staff's partners (a link needs a partnership)."""
    await env(store, "staff")
    await env(store, "cust")
    await env(store, "other")
    for environment in ("staff", "cust", "other"):
        await user(store, f"{environment}_admin", environment)
    await partnership(store, "p_cust", "staff_admin", "cust_admin")
    await partnership(store, "p_other", "staff_admin", "other_admin")
    await store.create_relation(relation_id="old", environment_id="staff", name="Bakkerij", at=T0)
    await store.create_relation(
        relation_id="new", environment_id="staff", name="Bakkerij BV", at=T0
    )
    for relation_id in ("old", "new"):
        await store.create_subscription(
            subscription_id=f"sub_{relation_id}", relation_id=relation_id, active=True, at=T0
        )


async def tasks(store: GraphStore, relation_id: str, open_: int, closed: int) -> None:
    for i in range(open_ + closed):
        await store.create_task(
            task_id=f"{relation_id}-t{i:02}", relation_id=relation_id, title=f"Task {i}", at=T0
        )
        if i >= open_:
            await store.close_task(task_id=f"{relation_id}-t{i:02}", at=T0)


async def link(store: GraphStore, relation_id: str, contractant_id: str = "cust") -> None:
    await store.link_relation(
        relation_id=relation_id, contractant_id=contractant_id, database="db1", at=T0
    )


async def test_a_relation_lives_in_the_vendors_own_contractant(store: GraphStore) -> None:
    await staff(store)
    found = await store.get_relation(relation_id="old")
    assert found is not None
    assert (found.environment_id, found.name) == ("staff", "Bakkerij")
    listed = await store.list_relations(
        environment_id="staff", search=None, page=PageRequest(first=10, after=None)
    )
    assert [r.id for r in listed.items] == ["new", "old"]
    searched = await store.list_relations(
        environment_id="staff", search="bv", page=PageRequest(first=10, after=None)
    )
    assert [r.id for r in searched.items] == ["new"]
    assert await store.get_relation(relation_id="nope") is None


async def test_linking_a_relation_records_database_and_contractant(store: GraphStore) -> None:
    await staff(store)
    made = await store.link_relation(
        relation_id="old", contractant_id="cust", database="db7", at=T0
    )
    assert (made.relation.id, made.contractant_id, made.database) == ("old", "cust", "db7")
    assert made.subscription_id == "sub_old"
    assert made.contractant == "cust"
    assert made.linked_at == T0
    assert await store.linked_relation(contractant_id="cust") == made
    assert await store.linked_relation(contractant_id="other") is None


async def test_a_link_needs_the_vendors_partnership_with_the_contractant(
    store: GraphStore,
) -> None:
    await staff(store)
    await env(store, "stranger")
    before = await store.export_graph()
    with pytest.raises(GraphEngineError) as err:
        await link(store, "old", "stranger")
    # The same answer as for a contractant that does not exist.
    assert (err.value.code, err.value.message) == (
        "NOT_FOUND",
        "Environment stranger does not exist",
    )
    with pytest.raises(GraphEngineError) as err:
        await store.relink_relation(
            contractant_id="stranger", relation_id="old", database="db1", at=T0
        )
    assert err.value.code == "NOT_FOUND"
    assert await store.export_graph() == before
    # Operators link without one.
    made = await store.link_relation(
        relation_id="old",
        contractant_id="stranger",
        database="db1",
        require_partnership=False,
        at=T0,
    )
    assert made.contractant_id == "stranger"


async def test_another_vendors_link_is_refused_without_naming_it(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old")
    await env(store, "rival")
    await user(store, "rival_admin", "rival")
    await partnership(store, "p_rival", "rival_admin", "cust_admin")
    await store.create_relation(relation_id="theirs", environment_id="rival", name="R", at=T0)
    with pytest.raises(GraphEngineError) as err:
        await link(store, "theirs")
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details == {"contractant": "cust"}
    assert "Bakkerij" not in err.value.message
    assert "old" not in err.value.message


async def test_second_relation_link_is_refused_and_changes_nothing(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old")
    before = await store.export_graph()
    with pytest.raises(GraphEngineError) as err:
        await link(store, "new")
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert "old" in err.value.message
    assert "Bakkerij" in err.value.message
    assert err.value.details["relation"] == "old"
    assert err.value.details["contractant"] == "cust"
    assert "relinkRelation" in (err.value.suggestion or "")
    assert await store.export_graph() == before


async def test_linking_the_linked_relation_again_changes_nothing(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old")
    again = await store.link_relation(
        relation_id="old", contractant_id="cust", database="db1", at=T0 + timedelta(days=1)
    )
    assert again.linked_at == T0
    with pytest.raises(GraphEngineError) as err:
        await store.link_relation(relation_id="old", contractant_id="cust", database="db2", at=T0)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert await edge_count(store, "LINKED_TO") == 1


async def test_one_relation_may_serve_several_contractants(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old", "cust")
    await link(store, "old", "other")
    assert await edge_count(store, "LINKED_TO") == 2


async def test_a_relation_is_not_linked_to_its_own_contractant(store: GraphStore) -> None:
    await staff(store)
    with pytest.raises(GraphEngineError) as err:
        await link(store, "old", "staff")
    assert err.value.code == "INVALID_INPUT"
    with pytest.raises(GraphEngineError) as err:
        await store.relink_relation(
            contractant_id="staff", relation_id="old", database="db1", at=T0
        )
    assert err.value.code == "INVALID_INPUT"
    assert await edge_count(store, "LINKED_TO") == 0


@pytest.mark.parametrize(
    ("relation_id", "contractant_id", "label"),
    [("nope", "cust", "Relation"), ("old", "nope", "Environment")],
)
async def test_linking_unknown_things_is_not_found(
    store: GraphStore, relation_id: str, contractant_id: str, label: str
) -> None:
    await staff(store)
    for attempt in (
        store.link_relation(
            relation_id=relation_id, contractant_id=contractant_id, database="d", at=T0
        ),
        store.relink_relation(
            relation_id=relation_id, contractant_id=contractant_id, database="d", at=T0
        ),
    ):
        with pytest.raises(GraphEngineError) as err:
            await attempt
        assert (err.value.code, err.value.details["label"]) == ("NOT_FOUND", label)
    assert await edge_count(store, "LINKED_TO") == 0


async def test_unlinking_removes_the_link_and_returns_it(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old")
    removed = await store.unlink_relation(contractant_id="cust")
    assert removed is not None
    assert removed.relation.id == "old"
    assert await store.linked_relation(contractant_id="cust") is None
    assert await store.unlink_relation(contractant_id="cust") is None
    await link(store, "new")
    linked = await store.linked_relation(contractant_id="cust")
    assert linked is not None
    assert linked.relation.id == "new"


async def test_unknown_contractants_are_not_found(store: GraphStore) -> None:
    await staff(store)
    calls = [
        store.unlink_relation(contractant_id="nope"),
        store.linked_relation(contractant_id="nope"),
        store.subscription_count(contractant_id="nope"),
        store.support_tasks(
            contractant_id="nope", status=None, page=PageRequest(first=10, after=None)
        ),
    ]
    for call in calls:
        with pytest.raises(GraphEngineError) as err:
            await call
        assert err.value.code == "NOT_FOUND"


async def test_relinking_replaces_the_link_in_one_step(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old")
    made, removed = await store.relink_relation(
        contractant_id="cust", relation_id="new", database="db2", at=T0
    )
    assert (made.relation.id, made.database) == ("new", "db2")
    assert removed is not None
    assert (removed.relation.id, removed.database) == ("old", "db1")
    assert await store.linked_relation(contractant_id="cust") == made
    assert await edge_count(store, "LINKED_TO") == 1


async def test_relinking_an_unlinked_contractant_just_links(store: GraphStore) -> None:
    await staff(store)
    made, removed = await store.relink_relation(
        contractant_id="cust", relation_id="new", database="db2", at=T0
    )
    assert removed is None
    assert made.relation.id == "new"


async def test_a_refused_relink_keeps_the_old_link(store: GraphStore) -> None:
    await staff(store)
    await link(store, "old")
    with pytest.raises(GraphEngineError):
        await store.relink_relation(
            contractant_id="cust", relation_id="nope", database="db2", at=T0
        )
    linked = await store.linked_relation(contractant_id="cust")
    assert linked is not None
    assert linked.relation.id == "old"


async def test_subscriptions_are_counted_only_through_the_link(store: GraphStore) -> None:
    await staff(store)
    for i, active in enumerate((True, True, False)):
        await store.create_subscription(
            subscription_id=f"s{i}", relation_id="old", active=active, at=T0
        )
    await store.create_subscription(subscription_id="s9", relation_id="new", active=True, at=T0)
    unlinked = await store.subscription_count(contractant_id="cust")
    assert (unlinked.relation_id, unlinked.active, unlinked.total) == (None, 0, 0)
    await link(store, "old")
    counted = await store.subscription_count(contractant_id="cust")
    # sub_old, s0 and s1 are active; s2 is not
    assert (counted.relation_id, counted.active, counted.total) == ("old", 3, 4)


async def test_support_tasks_are_visible_only_through_the_link(store: GraphStore) -> None:
    await staff(store)
    await tasks(store, "old", open_=2, closed=1)
    await tasks(store, "new", open_=1, closed=0)
    unlinked = await store.support_tasks(
        contractant_id="cust", status=None, page=PageRequest(first=10, after=None)
    )
    assert unlinked.relation_id is None
    assert list(unlinked.page.items) == []
    await link(store, "old")
    seen = await store.support_tasks(
        contractant_id="cust", status=None, page=PageRequest(first=10, after=None)
    )
    assert seen.relation_id == "old"
    assert [t.id for t in seen.page.items] == ["old-t00", "old-t01", "old-t02"]
    opened = await store.support_tasks(
        contractant_id="cust", status=TaskStatus.OPEN, page=PageRequest(first=10, after=None)
    )
    assert [t.id for t in opened.page.items] == ["old-t00", "old-t01"]
    closed = await store.support_tasks(
        contractant_id="cust", status=TaskStatus.CLOSED, page=PageRequest(first=10, after=None)
    )
    assert [(t.id, t.status) for t in closed.page.items] == [("old-t02", TaskStatus.CLOSED)]


async def test_support_tasks_are_paginated(store: GraphStore) -> None:
    await staff(store)
    await tasks(store, "old", open_=5, closed=0)
    await link(store, "old")
    seen: list[str] = []
    after = None
    while True:
        found = await store.support_tasks(
            contractant_id="cust", status=None, page=PageRequest(first=2, after=after)
        )
        seen.extend(t.id for t in found.page.items)
        if not found.page.has_next_page:
            break
        after = found.page.end_cursor
    assert seen == [f"old-t{i:02}" for i in range(5)]


async def test_a_task_is_created_open_and_closed_once(store: GraphStore) -> None:
    await staff(store)
    made = await store.create_task(task_id="t1", relation_id="old", title="Loket.nl", at=T0)
    assert (made.relation_id, made.title, made.status, made.closed_at) == (
        "old",
        "Loket.nl",
        TaskStatus.OPEN,
        None,
    )
    closed = await store.close_task(task_id="t1", at=T0 + timedelta(hours=1))
    assert (closed.status, closed.closed_at) == (TaskStatus.CLOSED, T0 + timedelta(hours=1))
    again = await store.close_task(task_id="t1", at=T0 + timedelta(hours=2))
    assert again.closed_at == T0 + timedelta(hours=1)


async def test_tasks_and_subscriptions_need_an_existing_relation(store: GraphStore) -> None:
    await staff(store)
    for call in (
        store.create_task(task_id="t1", relation_id="nope", title="x", at=T0),
        store.create_subscription(subscription_id="s1", relation_id="nope", active=True, at=T0),
        store.close_task(task_id="nope", at=T0),
    ):
        with pytest.raises(GraphEngineError) as err:
            await call
        assert err.value.code == "NOT_FOUND"
    assert await node_count(store, "Task") == 0
    assert await node_count(store, "Subscription") == 2  # staff's own two


async def test_rehang_moves_open_tasks_and_leaves_closed_ones(store: GraphStore) -> None:
    await staff(store)
    await tasks(store, "old", open_=3, closed=2)
    assert await store.rehang_tasks(from_relation_id="old", to_relation_id="new") == 3
    await link(store, "new")
    seen = await store.support_tasks(
        contractant_id="cust", status=None, page=PageRequest(first=10, after=None)
    )
    assert [(t.id, t.relation_id) for t in seen.page.items] == [
        ("old-t00", "new"),
        ("old-t01", "new"),
        ("old-t02", "new"),
    ]
    await store.relink_relation(contractant_id="cust", relation_id="old", database="d", at=T0)
    left = await store.support_tasks(
        contractant_id="cust", status=None, page=PageRequest(first=10, after=None)
    )
    assert [(t.id, t.status) for t in left.page.items] == [
        ("old-t03", TaskStatus.CLOSED),
        ("old-t04", TaskStatus.CLOSED),
    ]
    assert await store.rehang_tasks(from_relation_id="old", to_relation_id="new") == 0
    assert await edge_count(store, "CONCERNS") == 5


async def test_rehang_moves_named_tasks_one_by_one_or_none_at_all(store: GraphStore) -> None:
    """The article's move of each task link ("Taak koppelingen"): only the listed ones; a
    listed task that is closed, of another relation or unknown refuses the whole move."""
    await staff(store)
    await tasks(store, "old", open_=3, closed=1)  # old-t00..t02 open, old-t03 closed
    await tasks(store, "new", open_=1, closed=0)  # new-t00
    before = await store.export_graph()
    for strays in (["old-t03"], ["new-t00"], ["nope"]):
        with pytest.raises(GraphEngineError) as err:
            await store.rehang_tasks(
                from_relation_id="old", to_relation_id="new", task_ids=["old-t00", *strays]
            )
        assert err.value.code == "CONSTRAINT_VIOLATION"
        assert err.value.details["tasks"] == strays
    assert await store.export_graph() == before
    moved = await store.rehang_tasks(
        from_relation_id="old", to_relation_id="new", task_ids=["old-t02", "old-t00"]
    )
    assert moved == 2
    await link(store, "new")
    seen = await store.support_tasks(
        contractant_id="cust", status=None, page=PageRequest(first=10, after=None)
    )
    assert [(t.id, t.relation_id) for t in seen.page.items] == [
        ("new-t00", "new"),
        ("old-t00", "new"),
        ("old-t02", "new"),
    ]
    # what was left behind moves with the next call (all of the rest)
    assert await store.rehang_tasks(from_relation_id="old", to_relation_id="new") == 1


async def test_rehang_refuses_bad_pairs_and_changes_nothing(store: GraphStore) -> None:
    await staff(store)
    await store.create_relation(relation_id="alien", environment_id="other", name="X", at=T0)
    await tasks(store, "old", open_=2, closed=0)
    before = await store.export_graph()
    for to, code in [
        ("nope", "NOT_FOUND"),
        ("old", "INVALID_INPUT"),
        ("alien", "CONSTRAINT_VIOLATION"),
    ]:
        with pytest.raises(GraphEngineError) as err:
            await store.rehang_tasks(from_relation_id="old", to_relation_id=to)
        assert err.value.code == code
    with pytest.raises(GraphEngineError) as err:
        await store.rehang_tasks(from_relation_id="nope", to_relation_id="new")
    assert err.value.code == "NOT_FOUND"
    assert await store.export_graph() == before


async def test_relations_tasks_and_subscriptions_are_located_in_the_vendors_environment(
    store: GraphStore,
) -> None:
    await staff(store)
    await store.create_task(task_id="t1", relation_id="old", title="x", at=T0)
    await store.create_subscription(subscription_id="s1", relation_id="old", active=True, at=T0)
    found = await store.locate(ids=["old", "t1", "s1"])
    assert sorted((loc.id, loc.label, loc.environment_id) for loc in found) == [
        ("old", "Relation", "staff"),
        ("s1", "Subscription", "staff"),
        ("t1", "Task", "staff"),
    ]


async def test_rehang_never_doubles_a_task_that_already_concerns_the_target(
    store: GraphStore,
) -> None:
    await staff(store)
    await store.import_graph(
        GraphData(
            nodes=(NodeRecord("Task", "dual", {"title": "x", "status": "OPEN", "createdAt": T0}),),
            relationships=(
                RelRecord("CONCERNS", "dual", "old"),
                RelRecord("CONCERNS", "dual", "new"),
            ),
        )
    )
    assert await store.rehang_tasks(from_relation_id="old", to_relation_id="new") == 1
    data = await store.export_graph()
    assert [(r.start, r.end) for r in data.relationships if r.type == "CONCERNS"] == [
        ("dual", "new")
    ]


# -- the link sits on the relation's active subscription ---------------------------------


async def test_linking_needs_an_active_subscription_and_changes_nothing_without(
    store: GraphStore,
) -> None:
    await staff(store)
    await store.create_relation(relation_id="bare", environment_id="staff", name="Kaal", at=T0)
    await store.create_relation(relation_id="lapsed", environment_id="staff", name="Oud", at=T0)
    await store.create_subscription(
        subscription_id="sub_lapsed", relation_id="lapsed", active=False, at=T0
    )
    await link(store, "old", "other")
    before = await store.export_graph()
    for relation_id, name in (("bare", "Kaal"), ("lapsed", "Oud")):
        for attempt in (
            store.link_relation(
                relation_id=relation_id, contractant_id="cust", database="d", at=T0
            ),
            store.relink_relation(
                contractant_id="other", relation_id=relation_id, database="d", at=T0
            ),
        ):
            with pytest.raises(GraphEngineError) as err:
                await attempt
            assert err.value.code == "CONSTRAINT_VIOLATION"
            assert err.value.details == {"relation": relation_id, "relationName": name}
            assert f"{name} ({relation_id}) has no active subscription" in err.value.message
            assert "createSubscription" in (err.value.suggestion or "")
    assert await store.export_graph() == before


async def test_the_link_sits_on_the_newest_active_subscription(store: GraphStore) -> None:
    await staff(store)
    later = T0 + timedelta(days=30)
    await store.create_subscription(
        subscription_id="sub_a_later", relation_id="old", active=True, at=later
    )
    await store.create_subscription(
        subscription_id="sub_z_inactive", relation_id="old", active=False, at=later
    )
    made = await store.link_relation(
        relation_id="old", contractant_id="cust", database="db1", at=T0
    )
    assert made.subscription_id == "sub_a_later"
    relinked, removed = await store.relink_relation(
        contractant_id="cust", relation_id="new", database="db2", at=T0
    )
    assert (relinked.subscription_id, removed) == ("sub_new", made)


async def test_ending_the_subscription_ends_its_links(store: GraphStore) -> None:
    await staff(store)
    await tasks(store, "old", open_=2, closed=0)
    await store.create_subscription(
        subscription_id="sub_old_2", relation_id="old", active=True, at=T0 - timedelta(days=1)
    )
    await link(store, "old", "cust")
    await link(store, "old", "other")
    # Ending another subscription of the relation leaves the link alone.
    other_sub, none_ended = await store.end_subscription(subscription_id="sub_old_2", at=T0)
    assert (other_sub.active, none_ended) == (False, [])
    assert await store.linked_relation(contractant_id="cust") is not None
    ended_at = T0 + timedelta(hours=2)
    sub, ended = await store.end_subscription(subscription_id="sub_old", at=ended_at)
    assert (sub.id, sub.relation_id, sub.active, sub.ended_at) == (
        "sub_old",
        "old",
        False,
        ended_at,
    )
    assert [(e.contractant_id, e.relation.id, e.subscription_id) for e in ended] == [
        ("cust", "old", "sub_old"),
        ("other", "old", "sub_old"),
    ]
    assert await edge_count(store, "LINKED_TO") == 0
    for contractant_id in ("cust", "other"):
        assert await store.linked_relation(contractant_id=contractant_id) is None
        counted = await store.subscription_count(contractant_id=contractant_id)
        assert (counted.relation_id, counted.active, counted.total) == (None, 0, 0)
        seen = await store.support_tasks(
            contractant_id=contractant_id, status=None, page=PageRequest(first=10, after=None)
        )
        assert (seen.relation_id, list(seen.page.items)) == (None, [])
    # The relation has no active subscription left: it cannot be linked again.
    with pytest.raises(GraphEngineError) as err:
        await link(store, "old")
    assert err.value.details["relation"] == "old"
    # Ending it again changes nothing (it keeps its first end).
    again, ended_again = await store.end_subscription(
        subscription_id="sub_old", at=ended_at + timedelta(days=1)
    )
    assert (again.ended_at, ended_again) == (ended_at, [])
    # The contractant is free for another relation.
    assert (
        await store.link_relation(relation_id="new", contractant_id="cust", database="db9", at=T0)
    ).subscription_id == "sub_new"


async def test_ending_an_unknown_subscription_is_not_found(store: GraphStore) -> None:
    await staff(store)
    with pytest.raises(GraphEngineError) as err:
        await store.end_subscription(subscription_id="nope", at=T0)
    assert (err.value.code, err.value.details["label"]) == ("NOT_FOUND", "Subscription")


async def test_migrate_moves_links_of_old_onto_the_active_subscription(
    store: GraphStore,
) -> None:
    """A link stored the old way, ``(Relation)-[:LINKED_TO]->(Environment)``, keeps
    working after the upgrade; one whose relation has no active subscription ends."""
    await staff(store)
    await store.create_subscription(
        subscription_id="sub_old_newer", relation_id="old", active=True, at=T0 + timedelta(1)
    )
    await store.create_subscription(
        subscription_id="sub_new_ended", relation_id="new", active=False, at=T0 + timedelta(1)
    )
    await store.end_subscription(subscription_id="sub_new", at=T0)
    props = {"database": "legacy", "contractant": "cust", "linkedAt": T0}
    await store.import_graph(
        GraphData(
            nodes=(),
            relationships=(
                RelRecord("LINKED_TO", "old", "cust", props),
                RelRecord("LINKED_TO", "new", "other", {**props, "contractant": "other"}),
            ),
        )
    )
    await store.migrate()
    await store.migrate()  # idempotent
    linked = await store.linked_relation(contractant_id="cust")
    assert linked is not None
    assert (linked.relation.id, linked.subscription_id, linked.database, linked.linked_at) == (
        "old",
        "sub_old_newer",
        "legacy",
        T0,
    )
    assert await store.linked_relation(contractant_id="other") is None
    data = await store.export_graph()
    assert [(r.start, r.end) for r in data.relationships if r.type == "LINKED_TO"] == [
        ("sub_old_newer", "cust")
    ]
    counted = await store.subscription_count(contractant_id="cust")
    assert (counted.relation_id, counted.active, counted.total) == ("old", 2, 2)
