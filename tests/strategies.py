"""Hypothesis strategies for random raw access graphs (the format of ``oracle.py``).

``access_graphs()`` draws a whole graph; ``graph_and_triple()`` draws a graph plus an
(inviter, invitee, organisation) triple biased towards interesting and allowed cases;
``searches()`` draws values for the ``search`` argument of ``invite_candidates``.

Generated graphs satisfy ``oracle.check_invariants``: every user has exactly one
MEMBER_OF, every organisation exactly one BELONGS_TO, at most one HAS_ACCESS per
(user, organisation), at most one partnership per pair of environments with two BETWEEN
edges and one representative on each side, CONNECTED_WITH without self loops or
duplicates in either direction (stored in a random direction), and authorization
requests with exactly one SENT, TO and FOR. An ACCEPTED request always has a partnership
between the two environments and its software activated on the organisation, as the
acceptance flow leaves it; whether the connections it should have made exist is random
(legacy data), so ``missing_connections`` has something to find.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import strategies as st

ENVIRONMENT_NAMES = ("Kantoor Noord", "Uitzendbureau Zuid", "Accountants Oost", "Payroll West")
PERSON_NAMES = (
    "Anna de Vries",
    "Bram Jansen",
    "Chris Bakker",
    "Daan Visser",
    "Eva Smit",
    "Anna Bakker",
)
ORGANISATION_NAMES = ("Bakkerij de Vries", "Jansen Bouw", "Visser Transport", "Smit Zorg")
SOFTWARE = ("Yuki", "Exact", "Twinfield", "Nmbrs")
SEARCH_TERMS = ("anna", "BAKKER", "de vries", "@e1.example", "E0.EX", "", "zzz")

# Weighted choices: sampled_from with repeated values. Hypothesis shrinks to the first.
ROLE_CHOICES = (
    "ADVANCED_USER",
    "USER",
    "ADMIN",
    "ADVANCED_USER",
    "CONSULTANT",
    "CLIENT",
    "CANDIDATE",
    "ADMIN",
)
ACCESS_ROLE_CHOICES = ("ADMIN", "ADVANCED_USER", "USER")
MOSTLY_TRUE = (True, True, True, True, True, False)
MOSTLY_FALSE = (False, False, False, False, False, True)
OFTEN_TRUE = (True, True, False)
STATUS_CHOICES = ("ACCEPTED", "PENDING", "DECLINED", "ACCEPTED")

Graph = dict[str, Any]


def _node(graph: Graph, label: str, node_id: str, node_props: dict[str, Any]) -> None:
    graph["nodes"].append({"label": label, "id": node_id, "props": node_props})


def _rel(
    graph: Graph,
    rel_type: str,
    start: str,
    end: str,
    rel_props: dict[str, Any] | None = None,
) -> None:
    graph["relationships"].append(
        {"type": rel_type, "start": start, "end": end, "props": rel_props or {}}
    )


@st.composite
def access_graphs(draw: st.DrawFn) -> Graph:  # noqa: C901, PLR0912, PLR0915
    """A random raw graph: 2-4 environments, 1-8 users and 1-3 organisations each."""
    graph: Graph = {"nodes": [], "relationships": []}
    env_of: dict[str, str] = {}  # user or organisation id -> environment id
    role_of: dict[str, str] = {}  # user id -> MEMBER_OF role
    users_in: dict[str, list[str]] = {}
    orgs_in: dict[str, list[str]] = {}
    org_props: dict[str, dict[str, Any]] = {}
    user_props: dict[str, dict[str, Any]] = {}

    # Environments
    env_ids = [f"e{i}" for i in range(draw(st.integers(2, 4)))]
    for i, env_id in enumerate(env_ids):
        _node(
            graph,
            "Environment",
            env_id,
            {
                "name": ENVIRONMENT_NAMES[i],
                "emailDomain": f"{env_id}.example",
                "billing": draw(st.sampled_from(("PER_LICENCE", "PER_PROCESSED_HOUR"))),
                "seatLimit": draw(st.integers(1, 50)),
            },
        )
        users_in[env_id] = []
        orgs_in[env_id] = []

    # Users; the first user of every environment is its ADMIN
    user_count = 0
    for env_id in env_ids:
        for k in range(draw(st.integers(1, 8))):
            user_id = f"u{user_count}"
            user_count += 1
            name = draw(st.sampled_from(PERSON_NAMES))
            username = f"{name.split()[0].lower()}{user_id[1:]}"
            role = "ADMIN" if k == 0 else draw(st.sampled_from(ROLE_CHOICES))
            user_props[user_id] = {
                "email": f"{username}@{env_id}.example",
                "username": username,
                "name": name,
                "active": draw(st.sampled_from(MOSTLY_TRUE)),
                "loginBlocked": draw(st.sampled_from(MOSTLY_FALSE)),
                "relationshipManager": draw(st.booleans()),
            }
            _node(graph, "User", user_id, user_props[user_id])
            _rel(graph, "MEMBER_OF", user_id, env_id, {"role": role})
            env_of[user_id] = env_id
            role_of[user_id] = role
            users_in[env_id].append(user_id)
    all_users = [u for env_id in env_ids for u in users_in[env_id]]

    # Organisations
    org_count = 0
    for env_id in env_ids:
        for _ in range(draw(st.integers(1, 3))):
            org_id = f"o{org_count}"
            org_count += 1
            org_props[org_id] = {
                "name": draw(st.sampled_from(ORGANISATION_NAMES)),
                "activatedSoftware": draw(st.lists(st.sampled_from(SOFTWARE), unique=True)),
            }
            _node(graph, "Organisation", org_id, org_props[org_id])
            _rel(graph, "BELONGS_TO", org_id, env_id)
            env_of[org_id] = env_id
            orgs_in[env_id].append(org_id)
    all_orgs = [o for env_id in env_ids for o in orgs_in[env_id]]

    # HAS_ACCESS: some to organisations of the own environment, some across environments
    access: dict[tuple[str, str], str] = {}
    for user_id in all_users:
        own = draw(st.lists(st.sampled_from(orgs_in[env_of[user_id]]), unique=True))
        for org_id in own:
            access[(user_id, org_id)] = draw(st.sampled_from(ACCESS_ROLE_CHOICES))
    cross = draw(
        st.lists(
            st.tuples(
                st.sampled_from(all_users),
                st.sampled_from(all_orgs),
                st.sampled_from(ACCESS_ROLE_CHOICES),
            ),
            max_size=len(all_users),
        )
    )
    for user_id, org_id, access_role in cross:
        access.setdefault((user_id, org_id), access_role)
    for (user_id, org_id), access_role in access.items():
        _rel(graph, "HAS_ACCESS", user_id, org_id, {"role": access_role})

    # Authorization requests: A sends B (another environment) a request for O in B's env
    partnership_reps: dict[tuple[str, str], tuple[str, str]] = {}  # forced by acceptance
    accepted: list[tuple[str, str]] = []  # (sender, recipient)
    for n in range(draw(st.integers(0, 4))):
        request_id = f"ar{n}"
        sender = draw(st.sampled_from(all_users))
        recipient = draw(st.sampled_from([u for u in all_users if env_of[u] != env_of[sender]]))
        org_id = draw(st.sampled_from(orgs_in[env_of[recipient]]))
        status = draw(st.sampled_from(STATUS_CHOICES))
        software = draw(st.sampled_from(SOFTWARE))
        _node(graph, "AuthorizationRequest", request_id, {"status": status, "software": software})
        _rel(graph, "SENT", sender, request_id)
        _rel(graph, "TO", request_id, recipient)
        _rel(graph, "FOR", request_id, org_id)
        if status == "ACCEPTED":
            accepted.append((sender, recipient))
            if software not in org_props[org_id]["activatedSoftware"]:
                org_props[org_id]["activatedSoftware"].append(software)
            env_pair = tuple(sorted((env_of[sender], env_of[recipient])))
            reps = (sender, recipient) if env_of[sender] == env_pair[0] else (recipient, sender)
            partnership_reps.setdefault((env_pair[0], env_pair[1]), reps)

    # Partnerships: at most one per pair of environments, one representative per side
    partnership_count = 0
    partnered: set[tuple[str, str]] = set()
    for env_a, env_b in combinations(env_ids, 2):
        if (env_a, env_b) in partnership_reps:
            origin = "AUTHORIZATION"
            rep_a, rep_b = partnership_reps[(env_a, env_b)]
        elif draw(st.booleans()):
            origin = draw(st.sampled_from(("MANUAL", "AUTHORIZATION")))
            rep_a = draw(st.sampled_from(users_in[env_a]))
            rep_b = draw(st.sampled_from(users_in[env_b]))
        else:
            continue
        partnership_id = f"p{partnership_count}"
        partnership_count += 1
        _node(graph, "Partnership", partnership_id, {"origin": origin})
        _rel(graph, "BETWEEN", partnership_id, env_a)
        _rel(graph, "BETWEEN", partnership_id, env_b)
        _rel(graph, "REPRESENTS", rep_a, partnership_id)
        _rel(graph, "REPRESENTS", rep_b, partnership_id)
        partnered.add((env_a, env_b))
        partnered.add((env_b, env_a))
        if draw(st.sampled_from(OFTEN_TRUE)):
            _connect(graph, draw, rep_a, rep_b)

    # Connections the acceptance rule asks for: often present, sometimes missing (legacy)
    for sender, recipient in accepted:
        if draw(st.sampled_from(OFTEN_TRUE)):
            _connect(graph, draw, recipient, sender)
        for manager in users_in[env_of[sender]]:
            if user_props[manager]["relationshipManager"] and draw(st.booleans()):
                _connect(graph, draw, recipient, manager)

    # Connections between partner users who could be invited (ADVANCED_USER / ADMIN)
    strong = [u for u in all_users if role_of[u] in ("ADVANCED_USER", "ADMIN")]
    for a, b in combinations(all_users, 2):
        partners = (env_of[a], env_of[b]) in partnered
        if partners and (a in strong or b in strong) and draw(st.sampled_from(OFTEN_TRUE)):
            _connect(graph, draw, a, b)

    # A few arbitrary connections
    extra = draw(st.lists(st.tuples(st.sampled_from(all_users), st.sampled_from(all_users))))
    for a, b in extra:
        _connect(graph, draw, a, b)

    return graph


def _connect(graph: Graph, draw: st.DrawFn, a: str, b: str) -> None:
    """Add a CONNECTED_WITH in a random direction unless it is a self loop or exists."""
    if a == b:
        return
    for r in graph["relationships"]:
        if r["type"] == "CONNECTED_WITH" and {r["start"], r["end"]} == {a, b}:
            return
    if draw(st.booleans()):
        a, b = b, a
    _rel(graph, "CONNECTED_WITH", a, b)


def _ids(graph: Graph, label: str) -> list[str]:
    return [n["id"] for n in graph["nodes"] if n["label"] == label]


def _ends(graph: Graph, rel_type: str, start: str) -> list[str]:
    return [
        r["end"] for r in graph["relationships"] if r["type"] == rel_type and r["start"] == start
    ]


def _member_rel(graph: Graph, user_id: str) -> dict[str, Any]:
    rels: list[dict[str, Any]] = [
        r for r in graph["relationships"] if r["type"] == "MEMBER_OF" and r["start"] == user_id
    ]
    return rels[0]


@st.composite
def graph_and_triple(draw: st.DrawFn) -> tuple[Graph, tuple[str, str, str]]:
    """A graph and an (inviter, invitee, organisation) triple drawn from it.

    Biased: the inviter is often an ADMIN of the organisation's environment or has
    ADVANCED_USER/ADMIN access to it; the invitee is often a connected ADVANCED_USER/ADMIN
    of a partner environment, or a user of the organisation's own environment.
    """
    graph = draw(access_graphs())
    users = _ids(graph, "User")
    org_id = draw(st.sampled_from(_ids(graph, "Organisation")))
    org_env = _ends(graph, "BELONGS_TO", org_id)[0]

    def env(u: str) -> str:
        env_id: str = _member_rel(graph, u)["end"]
        return env_id

    def role(u: str) -> str:
        member_role: str = _member_rel(graph, u)["props"]["role"]
        return member_role

    admins = [u for u in users if env(u) == org_env and role(u) == "ADMIN"]
    accessors = [
        r["start"]
        for r in graph["relationships"]
        if r["type"] == "HAS_ACCESS"
        and r["end"] == org_id
        and r["props"]["role"] in ("ADVANCED_USER", "ADMIN")
    ]
    inviter_pools = {"admin": admins, "access": accessors, "any": users}
    inviter_mode = draw(st.sampled_from(("admin", "access", "any", "admin")))
    inviter = draw(st.sampled_from(inviter_pools[inviter_mode] or users))

    partner_envs = {
        e
        for p in _ids(graph, "Partnership")
        for e in _ends(graph, "BETWEEN", p)
        if org_env in _ends(graph, "BETWEEN", p) and e != org_env
    }
    connected_to_inviter = {
        r["end"] if r["start"] == inviter else r["start"]
        for r in graph["relationships"]
        if r["type"] == "CONNECTED_WITH" and inviter in (r["start"], r["end"])
    }
    partner_users = [u for u in users if env(u) in partner_envs]
    invitee_pools = {
        "connected_partner": [
            u
            for u in partner_users
            if u in connected_to_inviter and role(u) in ("ADVANCED_USER", "ADMIN")
        ],
        "unconnected_partner": [
            u
            for u in partner_users
            if u not in connected_to_inviter and role(u) in ("ADVANCED_USER", "ADMIN")
        ],
        "partner": partner_users,
        "same_environment": [u for u in users if env(u) == org_env],
        "any": users,
    }
    invitee_mode = draw(
        st.sampled_from(
            (
                "connected_partner",
                "same_environment",
                "unconnected_partner",
                "partner",
                "any",
                "connected_partner",
            )
        )
    )
    invitee = draw(st.sampled_from(invitee_pools[invitee_mode] or users))
    return graph, (inviter, invitee, org_id)


def searches() -> st.SearchStrategy[str | None]:
    """Values for ``invite_candidates(search=...)``: None, hitting and missing terms."""
    return st.one_of(st.none(), st.sampled_from(SEARCH_TERMS))
