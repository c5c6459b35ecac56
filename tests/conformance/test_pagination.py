"""Relay pagination on both stores: forward (first/after) and backward (last/before).

Every list is cut by its rows' sort keys, so a walk in either direction meets
every row once, in list order, with no gaps — also when rows are added between
pages. One table of lists with different query shapes (plain, nested, by pairs
of ids, a union) runs the same walks on each store.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from builders import T0, env, org, partnership, request, user

from graph_engine.errors import GraphEngineError
from graph_engine.model import Page, PageRequest, PrincipalKind, Role
from graph_engine.store.base import GraphStore
from graph_engine.store.pagination import MAX_PAGE, encode_cursor, pair_key

Fetch = Callable[[PageRequest], Awaitable[Page[Any]]]
Listed = tuple[Fetch, Callable[[Any], str], list[str]]


async def walk(fetch: Fetch, size: int, *, backward: bool = False) -> list[Page[Any]]:
    """Every page of a list, from one end to the other, following the cursors."""
    pages: list[Page[Any]] = []
    cursor = None
    while True:
        asked = (
            PageRequest(last=size, before=cursor)
            if backward
            else PageRequest(first=size, after=cursor)
        )
        page = await fetch(asked)
        pages.append(page)
        if not (page.has_previous_page if backward else page.has_next_page):
            return pages
        cursor = page.start_cursor if backward else page.end_cursor
        assert len(pages) <= MAX_PAGE, "the walk does not end"


def in_list_order(
    pages: list[Page[Any]], key: Callable[[Any], str], *, backward: bool
) -> list[str]:
    return [key(i) for p in (pages[::-1] if backward else pages) for i in p.items]


def assert_page_is_consistent(page: Page[Any], key: Callable[[Any], str]) -> None:
    assert list(page.cursors) == [encode_cursor(key(i)) for i in page.items]
    assert page.start_cursor == (page.cursors[0] if page.cursors else None)
    assert page.end_cursor == (page.cursors[-1] if page.cursors else None)


async def users_of_an_environment(store: GraphStore) -> Listed:
    await env(store, "e1")
    for i in (4, 0, 6, 2, 5, 1, 3):  # created out of order: the list is by id
        await user(store, f"u{i}", "e1")

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_users(environment_id="e1", search=None, page=page)

    return fetch, lambda u: u.id, [f"u{i}" for i in range(7)]


async def organisations_of_an_environment(store: GraphStore) -> Listed:
    await env(store, "e1")
    for i in range(5):
        await org(store, f"o{i}", "e1")

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_organisations(environment_id="e1", page=page)

    return fetch, lambda o: o.id, [f"o{i}" for i in range(5)]


async def connections_of_a_user(store: GraphStore) -> Listed:
    await env(store, "e0")
    await env(store, "e1")
    await user(store, "hub", "e0")
    await user(store, "p0", "e1")
    await partnership(store, "px", "hub", "p0")  # connects its two representatives
    for i in range(1, 5):
        await user(store, f"p{i}", "e1")
        await store.connect(user_id="hub", peer_id=f"p{i}", via="test", at=T0)

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_connections(user_id="hub", page=page)

    return fetch, lambda u: u.id, [f"p{i}" for i in range(5)]


async def partnerships_of_an_environment(store: GraphStore) -> Listed:
    await env(store, "e0")
    await user(store, "a0", "e0")
    for i in range(1, 5):
        await env(store, f"e{i}")
        await user(store, f"a{i}", f"e{i}")
        await partnership(store, f"p{i}", "a0", f"a{i}")

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_partnerships(environment_id="e0", page=page)

    return fetch, lambda p: p.id, [f"p{i}" for i in range(1, 5)]


async def rights_held_by_pairs(store: GraphStore) -> Listed:
    await env(store, "e1")
    await user(store, "boss", "e1", Role.ADMIN)
    for i in range(4):
        await org(store, f"w{i}", "e1")
        await store.grant_access(user_id="boss", organisation_id=f"w{i}", role=Role.USER)

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.rights_held_by(user_id="boss", page=page)

    return (
        fetch,
        lambda o: pair_key(o.work_company_id, o.employee_id),
        [pair_key(f"w{i}", "boss") for i in range(4)],
    )


async def sessions_of_a_user(store: GraphStore) -> Listed:
    await env(store, "e1")
    await user(store, "u1", "e1")
    for i in range(5):
        await store.create_session(session_id=f"s{i}", user_id="u1", token_hash=f"t{i}", at=T0)

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_sessions(user_id="u1", page=page)

    return fetch, lambda s: s.id, [f"s{i}" for i in range(5)]


async def requests_received(store: GraphStore) -> Listed:
    await env(store, "acc")
    await env(store, "cust")
    await user(store, "anna", "acc")
    await user(store, "bas", "cust")
    for i in range(5):  # one pending request per (sender, recipient, organisation)
        await org(store, f"o{i}", "cust")
        await request(store, f"r{i}", "anna", "bas", f"o{i}")

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_authorization_requests(
            user_id="bas", incoming=True, status=None, page=page
        )

    return fetch, lambda r: r.id, [f"r{i}" for i in range(5)]


async def keys_of_an_environment(store: GraphStore) -> Listed:
    await env(store, "e1")
    await env(store, "e2")
    for i in range(5):
        await store.create_api_key(
            key_id=f"k{i}",
            kind=PrincipalKind.INTEGRATION,
            name=f"key {i}",
            key_hash=f"hash{i}",
            environment_id="e1" if i != 2 else "e2",  # k2 is another environment's
            at=T0,
        )

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_api_keys(environment_id="e1", kind=None, page=page)

    return fetch, lambda k: k.id, ["k0", "k1", "k3", "k4"]


async def outbox_to_one_address(store: GraphStore) -> Listed:
    for i in range(5):
        to = "other@e1.example" if i == 1 else "Anna@e1.example"
        await store.add_outbox_mail(mail_id=f"m{i}", to=to, subject="s", body="b", at=T0)

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_outbox(to="anna@e1.example", page=page)

    return fetch, lambda m: m.id, ["m0", "m2", "m3", "m4"]


async def relations_searched(store: GraphStore) -> Listed:
    await env(store, "staff")
    for i in range(5):
        name = "Bakkerij BV" if i != 3 else "Other"
        await store.create_relation(relation_id=f"r{i}", environment_id="staff", name=name, at=T0)

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_relations(environment_id="staff", search="bv", page=page)

    return fetch, lambda r: r.id, ["r0", "r1", "r2", "r4"]


async def proposals_made(store: GraphStore) -> Listed:
    await env(store, "e0")
    await user(store, "a0", "e0")
    for i in range(1, 5):
        await env(store, f"e{i}")
        await user(store, f"a{i}", f"e{i}")
        await store.propose_partnership(
            proposal_id=f"q{i}", proposer_id="a0", recipient_id=f"a{i}", at=T0
        )

    def fetch(page: PageRequest) -> Awaitable[Page[Any]]:
        return store.list_partnership_proposals(
            user_id="a0", incoming=False, status=None, page=page
        )

    return fetch, lambda q: q.id, [f"q{i}" for i in range(1, 5)]


LISTS = {
    "users": users_of_an_environment,
    "organisations": organisations_of_an_environment,
    "connections": connections_of_a_user,
    "partnerships": partnerships_of_an_environment,
    "rights_held_by": rights_held_by_pairs,
    "sessions": sessions_of_a_user,
    "authorization_requests": requests_received,
    "api_keys": keys_of_an_environment,
    "outbox": outbox_to_one_address,
    "relations": relations_searched,
    "partnership_proposals": proposals_made,
}


@pytest.mark.parametrize("listed", LISTS.values(), ids=LISTS.keys())
async def test_forward_and_backward_walks_meet_every_row_once_in_order(
    store: GraphStore, listed: Callable[[GraphStore], Awaitable[Listed]]
) -> None:
    fetch, key, expected = await listed(store)
    whole = await fetch(PageRequest(first=MAX_PAGE))
    assert [key(i) for i in whole.items] == expected
    assert (whole.has_next_page, whole.has_previous_page) == (False, False)
    for size in (1, 2, 3):
        forward = await walk(fetch, size)
        backward = await walk(fetch, size, backward=True)
        assert in_list_order(forward, key, backward=False) == expected
        assert in_list_order(backward, key, backward=True) == expected
        for page in forward + backward:
            assert 1 <= len(page.items) <= size
            assert_page_is_consistent(page, key)
        # A page knows there is more in the direction walked, and that it was cut
        # relative to a cursor on the other side.
        assert [p.has_previous_page for p in forward] == [False] + [True] * (len(forward) - 1)
        assert [p.has_next_page for p in backward] == [False] + [True] * (len(backward) - 1)


@pytest.mark.parametrize("listed", LISTS.values(), ids=LISTS.keys())
async def test_any_edge_cursor_pages_on_from_its_row_both_ways(
    store: GraphStore, listed: Callable[[GraphStore], Awaitable[Listed]]
) -> None:
    fetch, key, expected = await listed(store)
    whole = await fetch(PageRequest(first=MAX_PAGE))
    middle = len(expected) // 2
    cursor = whole.cursors[middle]
    after = await fetch(PageRequest(first=MAX_PAGE, after=cursor))
    before = await fetch(PageRequest(last=MAX_PAGE, before=cursor))
    assert [key(i) for i in after.items] == expected[middle + 1 :]
    assert [key(i) for i in before.items] == expected[:middle]
    between = await fetch(PageRequest(first=MAX_PAGE, after=whole.cursors[0], before=cursor))
    assert [key(i) for i in between.items] == expected[1:middle]
    last_two = await fetch(PageRequest(last=2))
    assert [key(i) for i in last_two.items] == expected[-2:]
    assert (last_two.has_previous_page, last_two.has_next_page) == (True, False)


async def test_rows_added_between_pages_are_met_once_and_only_beyond_the_cursor(
    store: GraphStore,
) -> None:
    fetch, _, _ = await users_of_an_environment(store)
    first = await fetch(PageRequest(first=3))
    assert [u.id for u in first.items] == ["u0", "u1", "u2"]
    # Added behind the cursor (u00, u10) and ahead of it (u25, u9): only those ahead are met.
    for added in ("u00", "u10", "u25", "u9"):
        await user(store, added, "e1")
    seen = [u.id for u in first.items]
    cursor = first.end_cursor
    while True:
        page = await fetch(PageRequest(first=3, after=cursor))
        seen += [u.id for u in page.items]
        if not page.has_next_page:
            break
        cursor = page.end_cursor
    assert seen == ["u0", "u1", "u2", "u25", "u3", "u4", "u5", "u6", "u9"]


async def test_rows_added_while_walking_backward_are_met_once_and_only_before_the_cursor(
    store: GraphStore,
) -> None:
    fetch, _, _ = await users_of_an_environment(store)
    last = await fetch(PageRequest(last=3))
    assert [u.id for u in last.items] == ["u4", "u5", "u6"]
    for added in ("u00", "u35", "u45", "u9"):
        await user(store, added, "e1")
    seen = [u.id for u in last.items]
    cursor = last.start_cursor
    while True:
        page = await fetch(PageRequest(last=3, before=cursor))
        seen = [u.id for u in page.items] + seen
        if not page.has_previous_page:
            break
        cursor = page.start_cursor
    assert seen == ["u0", "u00", "u1", "u2", "u3", "u35", "u4", "u5", "u6"]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("asked", "argument"),
    [
        (PageRequest(first=2, last=2), "first"),
        (PageRequest(last=0), "last"),
        (PageRequest(last=MAX_PAGE + 1), "last"),
        (PageRequest(first=0), "first"),
        (PageRequest(last=2, before="not a cursor"), "before"),
        (PageRequest(first=2, after="not a cursor"), "after"),
        # Our mark with a NUL after it: the shape of a cursor, but not one of ours.
        (PageRequest(first=2, after="YzE6dTAAeA"), "after"),
    ],
)
async def test_a_page_that_makes_no_sense_is_refused_by_name(
    store: GraphStore, asked: PageRequest, argument: str
) -> None:
    fetch, _, _ = await users_of_an_environment(store)
    with pytest.raises(GraphEngineError) as err:
        await fetch(asked)
    assert err.value.code == "INVALID_INPUT"
    assert argument in err.value.details


async def test_users_and_organisations_of_an_environment_are_counted_on_every_page(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    await env(store, "e2")
    for i in range(5):
        await user(store, f"u{i}", "e1", name="Jansen" if i % 2 else "De Vries")
    await user(store, "other", "e2")
    for i in range(3):
        await org(store, f"o{i}", "e1")
    for asked in (PageRequest(first=2), PageRequest(last=1), PageRequest(first=1, after=None)):
        everyone = await store.list_users(environment_id="e1", search=None, page=asked)
        jansens = await store.list_users(environment_id="e1", search="jansen", page=asked)
        organisations = await store.list_organisations(environment_id="e1", page=asked)
        assert (everyone.total_count, jansens.total_count) == (5, 2)
        assert organisations.total_count == 3
    beyond = await store.list_users(
        environment_id="e1", search=None, page=PageRequest(first=2, after=encode_cursor("u9"))
    )
    assert (list(beyond.items), beyond.total_count) == ([], 5)
    empty = await store.list_organisations(environment_id="e2", page=PageRequest())
    assert (list(empty.items), empty.total_count) == ([], 0)
