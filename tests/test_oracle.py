"""Tests of the brute-force oracle itself (and of the graph strategies feeding it).

The hand-built graphs follow the eVerbinding article "Partnerschap uitgelegd": accountant A
sends B an authorization request for organisation O in B's environment; after acceptance
B may invite A and the relationship managers of A's environment; colleague C, added to
B's environment later without a connection to A, cannot.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from oracle import (
    ALLOWED_CODES,
    DENIAL_CODES,
    can_invite,
    check_invariants,
    connected,
    expected_connections,
    invite_candidates,
    missing_connections,
    node_ids,
    unordered_pairs,
    user_environment,
)
from strategies import access_graphs, graph_and_triple, searches

Graph = dict[str, Any]


class Builder:
    """Builds a raw graph by hand, one statement per node or edge."""

    def __init__(self) -> None:
        self.graph: Graph = {"nodes": [], "relationships": []}

    def _rel(self, rel_type: str, start: str, end: str, **rel_props: Any) -> None:
        self.graph["relationships"].append(
            {"type": rel_type, "start": start, "end": end, "props": rel_props}
        )

    def _props(self, node_id: str) -> dict[str, Any]:
        for n in self.graph["nodes"]:
            if n["id"] == node_id:
                found: dict[str, Any] = n["props"]
                return found
        raise KeyError(node_id)

    def env(self, env_id: str) -> Builder:
        self.graph["nodes"].append(
            {
                "label": "Environment",
                "id": env_id,
                "props": {
                    "name": env_id,
                    "emailDomain": f"{env_id}.example",
                    "billing": "PER_LICENCE",
                    "seatLimit": 10,
                },
            }
        )
        return self

    def user(
        self,
        user_id: str,
        env_id: str,
        role: str,
        *,
        name: str = "Daan Visser",
        active: bool = True,
        login_blocked: bool = False,
        relationship_manager: bool = False,
    ) -> Builder:
        self.graph["nodes"].append(
            {
                "label": "User",
                "id": user_id,
                "props": {
                    "email": f"{user_id}@{env_id}.example",
                    "username": user_id,
                    "name": name,
                    "active": active,
                    "loginBlocked": login_blocked,
                    "relationshipManager": relationship_manager,
                },
            }
        )
        self._rel("MEMBER_OF", user_id, env_id, role=role)
        return self

    def org(self, org_id: str, env_id: str) -> Builder:
        self.graph["nodes"].append(
            {
                "label": "Organisation",
                "id": org_id,
                "props": {"name": org_id, "activatedSoftware": []},
            }
        )
        self._rel("BELONGS_TO", org_id, env_id)
        return self

    def access(self, user_id: str, org_id: str, role: str) -> Builder:
        self._rel("HAS_ACCESS", user_id, org_id, role=role)
        return self

    def partnership(
        self, partnership_id: str, env_a: str, env_b: str, rep_a: str, rep_b: str
    ) -> Builder:
        self.graph["nodes"].append(
            {"label": "Partnership", "id": partnership_id, "props": {"origin": "MANUAL"}}
        )
        self._rel("BETWEEN", partnership_id, env_a)
        self._rel("BETWEEN", partnership_id, env_b)
        self._rel("REPRESENTS", rep_a, partnership_id)
        self._rel("REPRESENTS", rep_b, partnership_id)
        return self

    def connect(self, a: str, b: str) -> Builder:
        self._rel("CONNECTED_WITH", a, b)
        return self

    def request(
        self, request_id: str, sender: str, recipient: str, org_id: str, status: str
    ) -> Builder:
        self.graph["nodes"].append(
            {
                "label": "AuthorizationRequest",
                "id": request_id,
                "props": {"status": status, "software": "Yuki"},
            }
        )
        self._rel("SENT", sender, request_id)
        self._rel("TO", request_id, recipient)
        self._rel("FOR", request_id, org_id)
        return self

    def set(self, node_id: str, **changes: Any) -> Builder:
        self._props(node_id).update(changes)
        return self

    def set_role(self, user_id: str, role: str) -> Builder:
        for r in self.graph["relationships"]:
            if r["type"] == "MEMBER_OF" and r["start"] == user_id:
                r["props"]["role"] = role
        return self

    def drop(self, rel_type: str) -> Builder:
        self.graph["relationships"] = [
            r for r in self.graph["relationships"] if r["type"] != rel_type
        ]
        return self


# ---------------------------------------------------------------------------
# The article's story
# ---------------------------------------------------------------------------


def story() -> Builder:
    """A (accountant env) sent B a request for O; B accepted; C joined B's env later."""
    return (
        Builder()
        .env("e_acc")
        .env("e_client")
        .user("a", "e_acc", "ADVANCED_USER", name="Anna de Vries")
        .user("rm", "e_acc", "ADVANCED_USER", name="Bram Jansen", relationship_manager=True)
        .user("b", "e_client", "ADMIN", name="Chris Bakker")
        .org("o", "e_client")
        .access("b", "o", "ADMIN")
        .request("ar1", "a", "b", "o", "ACCEPTED")
        .partnership("p", "e_acc", "e_client", "a", "b")
        .connect("a", "b")  # stored A->B: a connection counts in either direction
        .connect("b", "rm")
        # C: added later, has access to O, but nobody connected C with A
        .user("c", "e_client", "ADVANCED_USER", name="Eva Smit", relationship_manager=True)
        .access("c", "o", "ADMIN")
    )


def test_story_graph_satisfies_invariants() -> None:
    assert check_invariants(story().graph) == []


def test_recipient_admin_may_invite_connected_advanced_partner() -> None:
    assert can_invite(story().graph, "b", "a", "o") == (True, "PARTNER_CONNECTED")


def test_recipient_may_invite_relationship_manager_of_sender_environment() -> None:
    assert can_invite(story().graph, "b", "rm", "o") == (True, "PARTNER_CONNECTED")


def test_unconnected_partner_is_denied_not_connected() -> None:
    assert can_invite(story().graph, "c", "a", "o") == (False, "NOT_CONNECTED")


def test_connecting_the_late_colleague_lets_them_invite() -> None:
    graph = story().connect("c", "a").graph
    assert can_invite(graph, "c", "a", "o") == (True, "PARTNER_CONNECTED")


def test_connection_stored_in_either_direction_counts() -> None:
    graph = story().graph
    assert connected(graph, "a", "b")
    assert connected(graph, "b", "a")
    assert not connected(graph, "a", "c")


def test_partner_plain_user_is_denied_role_too_low() -> None:
    graph = story().set_role("a", "USER").graph
    assert can_invite(graph, "b", "a", "o") == (False, "INVITEE_ROLE_TOO_LOW")


def test_recipient_candidates_are_connected_partners() -> None:
    # b and c already have access; a and rm are connected ADVANCED_USERs of the partner
    assert invite_candidates(story().graph, "b", "o") == {"a", "rm"}


def test_unconnected_colleague_finds_nobody_in_search() -> None:
    assert invite_candidates(story().graph, "c", "o") == set()
    assert invite_candidates(story().graph, "c", "o", search="anna") == set()


def test_search_matches_name_or_email_case_insensitively() -> None:
    graph = story().graph
    assert invite_candidates(graph, "b", "o", search="ANNA") == {"a"}
    assert invite_candidates(graph, "b", "o", search="vries") == {"a"}
    assert invite_candidates(graph, "b", "o", search="RM@E_ACC") == {"rm"}
    assert invite_candidates(graph, "b", "o", search="e_acc.example") == {"a", "rm"}
    assert invite_candidates(graph, "b", "o", search="") == {"a", "rm"}
    assert invite_candidates(graph, "b", "o", search="nobody") == set()


def test_story_without_legacy_gaps_misses_no_connections() -> None:
    assert missing_connections(story().graph) == set()


def test_request_accepted_by_late_colleague_without_connection_is_missing() -> None:
    graph = story().request("ar2", "a", "c", "o", "ACCEPTED").graph
    # C should be connected with A and with A's relationship manager
    assert missing_connections(graph) == {("c", "a"), ("c", "rm")}


def test_pending_and_declined_requests_ask_for_no_connection() -> None:
    graph = (
        story()
        .request("ar2", "a", "c", "o", "PENDING")
        .request("ar3", "rm", "c", "o", "DECLINED")
        .graph
    )
    assert missing_connections(graph) == set()


def test_unconnected_partnership_representatives_are_ordered_by_environment_id() -> None:
    graph = (
        Builder()
        .env("e2")
        .env("e1")
        .user("x", "e2", "ADMIN")
        .user("y", "e1", "ADMIN")
        .partnership("p", "e2", "e1", "x", "y")
        .graph
    )
    assert missing_connections(graph) == {("y", "x")}


def test_missing_connections_filtered_by_environment_of_either_user() -> None:
    graph = (
        story()
        .env("e_third")
        .user("t", "e_third", "ADMIN")
        .partnership("p2", "e_client", "e_third", "c", "t")
        .request("ar2", "a", "c", "o", "ACCEPTED")
        .graph
    )
    everything = {("c", "a"), ("c", "rm"), ("c", "t")}
    assert missing_connections(graph) == everything
    assert missing_connections(graph, "e_client") == everything
    assert missing_connections(graph, "e_acc") == {("c", "a"), ("c", "rm")}
    assert missing_connections(graph, "e_third") == {("c", "t")}
    assert missing_connections(graph, "e_nowhere") == set()


def test_recipient_who_is_a_relationship_manager_of_sender_environment_skips_self_pair() -> None:
    graph = (
        Builder()
        .env("e1")
        .user("a", "e1", "ADMIN")
        .user("b", "e1", "ADVANCED_USER", relationship_manager=True)
        .org("o", "e1")
        .request("ar", "a", "b", "o", "ACCEPTED")
        .graph
    )
    assert expected_connections(graph) == {("b", "a")}


def test_opposite_requests_give_both_orientations() -> None:
    graph = story().drop("CONNECTED_WITH").request("ar2", "b", "a", "o", "ACCEPTED").graph
    missing = missing_connections(graph)
    # ar1 (a -> b): b with a and rm; ar2 (b -> a): a with b and c (manager of b's env);
    # the partnership's representatives: (a, b) as e_acc < e_client
    assert missing == {("b", "a"), ("b", "rm"), ("a", "b"), ("a", "c")}
    assert unordered_pairs(missing) == {
        frozenset({"a", "b"}),
        frozenset({"b", "rm"}),
        frozenset({"a", "c"}),
    }


# ---------------------------------------------------------------------------
# Every code, and the order of the checks
# ---------------------------------------------------------------------------


def base() -> Builder:
    """Inviter i ADMIN of e1 (owner of o); invitee j ADVANCED_USER of partner e2, connected."""
    return (
        Builder()
        .env("e1")
        .env("e2")
        .env("e3")
        .user("i", "e1", "ADMIN")
        .user("j", "e2", "ADVANCED_USER")
        .user("k", "e1", "USER")
        .user("x", "e3", "ADMIN")
        .org("o", "e1")
        .partnership("p", "e1", "e2", "i", "j")
        .connect("j", "i")
    )


CASES: list[tuple[str, Builder, tuple[str, str, str], tuple[bool, str]]] = [
    # allowed
    ("base", base(), ("i", "j", "o"), (True, "PARTNER_CONNECTED")),
    ("own environment user", base(), ("i", "k", "o"), (True, "SAME_ENVIRONMENT")),
    (
        "partner inviter with ADVANCED_USER access",
        base().access("j", "o", "ADVANCED_USER").user("m", "e1", "USER"),
        ("j", "m", "o"),
        (True, "SAME_ENVIRONMENT"),
    ),
    (
        "partner ADMIN invitee",
        base().set_role("j", "ADMIN"),
        ("i", "j", "o"),
        (True, "PARTNER_CONNECTED"),
    ),
    ("self without access", base(), ("i", "i", "o"), (False, "SELF_INVITE")),
    # one failing check each
    (
        "inviter inactive",
        base().set("i", active=False),
        ("i", "j", "o"),
        (False, "INVITER_INACTIVE"),
    ),
    (
        "inviter login blocked",
        base().set("i", loginBlocked=True),
        ("i", "j", "o"),
        (False, "INVITER_LOGIN_BLOCKED"),
    ),
    (
        "inviter plain user without access",
        base().set_role("i", "USER"),
        ("i", "j", "o"),
        (False, "INVITER_NOT_AUTHORISED"),
    ),
    (
        "inviter with USER access only",
        base().set_role("i", "ADVANCED_USER").access("i", "o", "USER"),
        ("i", "j", "o"),
        (False, "INVITER_NOT_AUTHORISED"),
    ),
    (
        "ADMIN of another environment",
        base().connect("x", "j"),
        ("x", "j", "o"),
        (False, "INVITER_NOT_AUTHORISED"),
    ),
    (
        "invitee inactive",
        base().set("j", active=False),
        ("i", "j", "o"),
        (False, "INVITEE_INACTIVE"),
    ),
    (
        "invitee login blocked",
        base().set("j", loginBlocked=True),
        ("i", "j", "o"),
        (False, "INVITEE_LOGIN_BLOCKED"),
    ),
    (
        "invitee has USER access",
        base().access("j", "o", "USER"),
        ("i", "j", "o"),
        (False, "ALREADY_HAS_ACCESS"),
    ),
    (
        "self with access",
        base().access("i", "o", "ADMIN"),
        ("i", "i", "o"),
        (False, "SELF_INVITE"),
    ),
    ("no partnership", base().connect("i", "x"), ("i", "x", "o"), (False, "NO_PARTNERSHIP")),
    (
        "partner inviter's own partnership does not count",
        base().access("j", "o", "ADMIN").partnership("p2", "e2", "e3", "j", "x").connect("j", "x"),
        ("j", "x", "o"),
        (False, "NO_PARTNERSHIP"),
    ),
    (
        "invitee USER",
        base().set_role("j", "USER"),
        ("i", "j", "o"),
        (False, "INVITEE_ROLE_TOO_LOW"),
    ),
    (
        "invitee CLIENT",
        base().set_role("j", "CLIENT"),
        ("i", "j", "o"),
        (False, "INVITEE_ROLE_TOO_LOW"),
    ),
    (
        "invitee CONSULTANT",
        base().set_role("j", "CONSULTANT"),
        ("i", "j", "o"),
        (False, "INVITEE_ROLE_TOO_LOW"),
    ),
    ("not connected", base().drop("CONNECTED_WITH"), ("i", "j", "o"), (False, "NOT_CONNECTED")),
    # precedence: several checks fail, the first one wins
    (
        "inactive, blocked inviter without rights",
        base().set("i", active=False).set("i", loginBlocked=True).set_role("i", "USER"),
        ("i", "j", "o"),
        (False, "INVITER_INACTIVE"),
    ),
    (
        "blocked inviter without rights",
        base().set("i", loginBlocked=True).set_role("i", "USER"),
        ("i", "j", "o"),
        (False, "INVITER_LOGIN_BLOCKED"),
    ),
    (
        "unauthorised inviter, inactive invitee",
        base().set_role("i", "USER").set("j", active=False),
        ("i", "j", "o"),
        (False, "INVITER_NOT_AUTHORISED"),
    ),
    (
        "inactive, blocked invitee who has access",
        base().set("j", active=False).set("j", loginBlocked=True).access("j", "o", "USER"),
        ("i", "j", "o"),
        (False, "INVITEE_INACTIVE"),
    ),
    (
        "blocked invitee who has access",
        base().set("j", loginBlocked=True).access("j", "o", "USER"),
        ("i", "j", "o"),
        (False, "INVITEE_LOGIN_BLOCKED"),
    ),
    (
        "access, no partnership, low role, unconnected",
        base().drop("CONNECTED_WITH").set_role("x", "USER").access("x", "o", "USER"),
        ("i", "x", "o"),
        (False, "ALREADY_HAS_ACCESS"),
    ),
    (
        "no partnership, low role, unconnected",
        base().set_role("x", "CANDIDATE"),
        ("i", "x", "o"),
        (False, "NO_PARTNERSHIP"),
    ),
    (
        "low role and unconnected",
        base().drop("CONNECTED_WITH").set_role("j", "USER"),
        ("i", "j", "o"),
        (False, "INVITEE_ROLE_TOO_LOW"),
    ),
    (
        "own environment beats low role and no connection",
        base().set_role("k", "CANDIDATE"),
        ("i", "k", "o"),
        (True, "SAME_ENVIRONMENT"),
    ),
]


@pytest.mark.parametrize(
    ("graph", "triple", "expected"),
    [pytest.param(b.graph, t, e, id=name) for name, b, t, e in CASES],
)
def test_can_invite_gives_the_first_failing_check(
    graph: Graph, triple: tuple[str, str, str], expected: tuple[bool, str]
) -> None:
    assert check_invariants(graph) == []
    assert can_invite(graph, *triple) == expected


def test_every_code_is_reached_by_a_hand_built_case() -> None:
    reached = {code for _, _, _, (_, code) in CASES}
    assert reached == set(DENIAL_CODES) | set(ALLOWED_CODES)


def test_unknown_ids_are_refused() -> None:
    graph = base().graph
    with pytest.raises(KeyError):
        can_invite(graph, "nobody", "j", "o")
    with pytest.raises(ValueError, match="not a User"):
        can_invite(graph, "i", "o", "o")


# ---------------------------------------------------------------------------
# Generated graphs
# ---------------------------------------------------------------------------


@given(access_graphs())
def test_generated_graphs_satisfy_invariants(graph: Graph) -> None:
    assert check_invariants(graph) == []


@given(graph_and_triple(), searches())
def test_invite_candidates_equal_the_users_can_invite_allows(
    graph_triple: tuple[Graph, tuple[str, str, str]], search: str | None
) -> None:
    graph, (inviter, _, org) = graph_triple
    expected = set()
    for user in graph["nodes"]:
        if user["label"] != "User" or not can_invite(graph, inviter, user["id"], org)[0]:
            continue
        name = user["props"]["name"].lower()
        email = user["props"]["email"].lower()
        if search is None or search.lower() in name or search.lower() in email:
            expected.add(user["id"])
    assert invite_candidates(graph, inviter, org, search) == expected


@given(graph_and_triple())
def test_allowed_exactly_when_code_is_an_allowed_code(
    graph_triple: tuple[Graph, tuple[str, str, str]],
) -> None:
    graph, triple = graph_triple
    allowed, code = can_invite(graph, *triple)
    assert code in ALLOWED_CODES + DENIAL_CODES
    assert allowed == (code in ALLOWED_CODES)


@given(graph_and_triple())
def test_connection_decides_between_not_connected_and_partner_connected(
    graph_triple: tuple[Graph, tuple[str, str, str]],
) -> None:
    graph, (i, j, o) = graph_triple
    code = can_invite(graph, i, j, o)[1]
    flipped = copy.deepcopy(graph)
    if code == "PARTNER_CONNECTED":
        flipped["relationships"] = [
            r
            for r in flipped["relationships"]
            if not (r["type"] == "CONNECTED_WITH" and {r["start"], r["end"]} == {i, j})
        ]
        assert can_invite(flipped, i, j, o) == (False, "NOT_CONNECTED")
    elif code == "NOT_CONNECTED":
        flipped["relationships"].append(
            {"type": "CONNECTED_WITH", "start": j, "end": i, "props": {}}
        )
        assert can_invite(flipped, i, j, o) == (True, "PARTNER_CONNECTED")


@given(access_graphs())
def test_missing_connections_for_an_environment_is_the_filtered_whole(graph: Graph) -> None:
    everything = missing_connections(graph)
    for env_id in node_ids(graph, "Environment"):
        assert missing_connections(graph, env_id) == {
            (a, b)
            for a, b in everything
            if env_id in (user_environment(graph, a), user_environment(graph, b))
        }


@given(access_graphs())
def test_connecting_every_missing_pair_leaves_nothing_missing(graph: Graph) -> None:
    missing = missing_connections(graph)
    for a, b in missing:
        assert (a, b) in expected_connections(graph)
        assert not connected(graph, a, b)
    repaired = copy.deepcopy(graph)
    one_per_pair = sorted({(min(a, b), max(a, b)) for a, b in missing})
    for a, b in one_per_pair:
        repaired["relationships"].append(
            {"type": "CONNECTED_WITH", "start": a, "end": b, "props": {}}
        )
    assert check_invariants(repaired) == []
    assert missing_connections(repaired) == set()


@pytest.mark.parametrize("code", ALLOWED_CODES + DENIAL_CODES)
def test_generated_triples_reach_every_code(code: str) -> None:
    find(
        graph_and_triple(),
        lambda gt: can_invite(gt[0], *gt[1])[1] == code,
        settings=settings(
            max_examples=1000,
            database=None,
            phases=[Phase.generate],  # the first hit is enough; shrinking it is slow
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
