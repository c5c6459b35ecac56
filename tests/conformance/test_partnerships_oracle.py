"""Both stores agree with the brute-force oracle (``tests/oracle.py``) on random graphs.

The oracle was written from DESIGN §3.1 alone, over raw edge lists, without
seeing the stores; where the two disagree, one of them is wrong. Each example
writes a random graph straight into the store, then compares

* the decision code for the drawn (inviter, invitee, organisation) triple,
* the decision for that inviter and organisation against every user,
* ``invite_candidates`` (with a random search) against the oracle's set,
* ``missing_connections`` (all, and for one environment) against the oracle's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import graph_and_triple, searches

from graph_engine.model import GraphData, PageRequest
from graph_engine.store.base import GraphStore

EXAMPLES = 200
CREATED = datetime(2025, 6, 1, tzinfo=UTC)

agreement = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)


def as_graph_data(raw: dict[str, Any]) -> GraphData:
    """The oracle's raw graph, with the creation times the stores' records carry."""
    nodes = [{**n, "props": {"createdAt": CREATED, **n["props"]}} for n in raw["nodes"]]
    return GraphData.from_dict({"nodes": nodes, "relationships": raw["relationships"]})


async def all_pages(fetch: Any, size: int = 3) -> list[Any]:
    """Every item of a paginated store call, walking the cursors (small pages on purpose)
    forward and backward: both walks meet the same items in the same order."""
    forward: list[Any] = []
    after = None
    while True:
        page = await fetch(PageRequest(first=size, after=after))
        forward.extend(page.items)
        if not page.has_next_page:
            break
        after = page.end_cursor
    backward: list[Any] = []
    before = None
    while True:
        page = await fetch(PageRequest(last=size, before=before))
        backward[:0] = page.items
        if not page.has_previous_page:
            break
        before = page.start_cursor
    assert backward == forward
    return forward


@agreement
@given(case=graph_and_triple(), search=searches(), env_pick=st.integers(min_value=0))
async def test_stores_agree_with_the_oracle(
    store: GraphStore,
    case: tuple[dict[str, Any], tuple[str, str, str]],
    search: str | None,
    env_pick: int,
) -> None:
    raw, (inviter, invitee, organisation) = case
    await store.clear()
    await store.import_graph(as_graph_data(raw))

    decision = await store.can_invite(
        inviter_id=inviter, invitee_id=invitee, organisation_id=organisation
    )
    allowed, code = oracle.can_invite(raw, inviter, invitee, organisation)
    assert (decision.allowed, str(decision.code)) == (allowed, code)

    users = sorted(oracle.node_ids(raw, "User"))
    for user in users:
        found = await store.can_invite(
            inviter_id=inviter, invitee_id=user, organisation_id=organisation
        )
        assert str(found.code) == oracle.can_invite(raw, inviter, user, organisation)[1], user

    candidates = await all_pages(
        lambda page: store.invite_candidates(
            inviter_id=inviter,
            organisation_id=organisation,
            search=search,
            page=page,
        )
    )
    ids = [u.id for u in candidates]
    assert ids == sorted(ids)
    assert set(ids) == oracle.invite_candidates(raw, inviter, organisation, search)

    missing = await all_pages(
        lambda page: store.missing_connections(environment_id=None, page=page)
    )
    assert {frozenset((m.user_id, m.peer_id)) for m in missing} == oracle.unordered_pairs(
        oracle.missing_connections(raw)
    )
    environments = sorted(oracle.node_ids(raw, "Environment"))
    chosen = environments[env_pick % len(environments)]
    in_env = await all_pages(
        lambda page: store.missing_connections(environment_id=chosen, page=page)
    )
    assert {frozenset((m.user_id, m.peer_id)) for m in in_env} == oracle.unordered_pairs(
        oracle.missing_connections(raw, chosen)
    )
