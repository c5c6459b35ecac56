"""Brute-force test oracle for invite eligibility and missing connections (DESIGN §3.1).

Independent of ``graph_engine``: it shares no code with the implementation and works on a
raw, JSON-like edge list::

    graph = {
        "nodes": [{"label": "User", "id": "u1", "props": {...}}, ...],
        "relationships": [
            {"type": "MEMBER_OF", "start": "u1", "end": "e1", "props": {"role": "ADMIN"}},
            ...,
        ],
    }

Every question is answered by scanning the full node and relationship lists; nothing is
indexed or cached, so each function can be checked by reading it against the rules.

Decisions written down here (the design is silent on them):

* Unknown ids, or an id of the wrong label, raise ``KeyError`` / ``ValueError``; the
  oracle never guesses a code for them.
* A graph that breaks an invariant the oracle relies on (a user without exactly one
  ``MEMBER_OF``, a partnership without one representative per side, ...) raises
  ``ValueError``. ``check_invariants`` lists all such problems at once.
* ``search`` matching uses ``str.lower`` on both sides (like Cypher's ``toLower``); the
  empty string matches everybody, ``None`` means no filter.
* ``missing_connections`` returns *ordered* pairs ``(acceptor, peer)`` exactly as the
  rules produce them. The same two people can therefore appear in both orientations
  (e.g. two accepted requests in opposite directions); use ``unordered_pairs`` to compare
  with a result that does not keep the orientation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Graph = Mapping[str, Any]
"""A raw graph: ``{"nodes": [...], "relationships": [...]}``."""

Record = Mapping[str, Any]
"""One node or relationship dict of a raw graph."""

ENVIRONMENT_ROLES = ("ADMIN", "CONSULTANT", "ADVANCED_USER", "USER", "CLIENT", "CANDIDATE")
ACCESS_ROLES = ("ADMIN", "ADVANCED_USER", "USER")
INVITING_ACCESS_ROLES = frozenset({"ADVANCED_USER", "ADMIN"})
"""HAS_ACCESS roles that let a user invite others to that organisation."""
PARTNER_INVITEE_ROLES = frozenset({"ADVANCED_USER", "ADMIN"})
"""MEMBER_OF roles a partner user needs to be invited to another environment's organisation."""

AR_STATUSES = ("PENDING", "ACCEPTED", "DECLINED")
PARTNERSHIP_ORIGINS = ("MANUAL", "AUTHORIZATION")
BILLINGS = ("PER_LICENCE", "PER_PROCESSED_HOUR")

ALLOWED_CODES = ("SAME_ENVIRONMENT", "PARTNER_CONNECTED")
DENIAL_CODES = (
    "SELF_INVITE",
    "INVITER_INACTIVE",
    "INVITER_LOGIN_BLOCKED",
    "INVITER_NOT_AUTHORISED",
    "INVITEE_INACTIVE",
    "INVITEE_LOGIN_BLOCKED",
    "ALREADY_HAS_ACCESS",
    "NO_PARTNERSHIP",
    "INVITEE_ROLE_TOO_LOW",
    "NOT_CONNECTED",
)
"""Denial codes in the order their checks run."""

RELATIONSHIP_ENDPOINTS: dict[str, frozenset[tuple[str, str]]] = {
    "MEMBER_OF": frozenset({("User", "Environment")}),
    "BELONGS_TO": frozenset({("Organisation", "Environment")}),
    "HAS_ACCESS": frozenset({("User", "Organisation")}),
    "BETWEEN": frozenset({("Partnership", "Environment")}),
    "REPRESENTS": frozenset({("User", "Partnership")}),
    "CONNECTED_WITH": frozenset({("User", "User")}),
    "SENT": frozenset({("User", "AuthorizationRequest")}),
    "TO": frozenset({("AuthorizationRequest", "User"), ("Invitation", "User")}),
    "FOR": frozenset({("AuthorizationRequest", "Organisation"), ("Invitation", "Organisation")}),
}
"""(start label, end label) allowed per relationship type; other types are not checked."""


# ---------------------------------------------------------------------------
# Small accessors (full scans, no indexes)
# ---------------------------------------------------------------------------


def nodes(graph: Graph, label: str | None = None) -> list[Record]:
    """All nodes, or all nodes with ``label``, in graph order."""
    return [n for n in graph["nodes"] if label is None or n["label"] == label]


def node_ids(graph: Graph, label: str) -> list[str]:
    """Ids of all nodes with ``label``, in graph order."""
    return [n["id"] for n in nodes(graph, label)]


def node(graph: Graph, node_id: str, label: str | None = None) -> Record:
    """The node with ``node_id``; ``KeyError`` if absent, ``ValueError`` if of another label."""
    found: list[Record] = [n for n in graph["nodes"] if n["id"] == node_id]
    if not found:
        raise KeyError(node_id)
    if len(found) > 1:
        raise ValueError(f"duplicate node id {node_id!r}")
    if label is not None and found[0]["label"] != label:
        raise ValueError(f"{node_id!r} is a {found[0]['label']}, not a {label}")
    return found[0]


def props(graph: Graph, node_id: str, label: str | None = None) -> Record:
    """The property map of a node."""
    result: Record = node(graph, node_id, label).get("props", {})
    return result


def relationships(
    graph: Graph,
    rel_type: str,
    start: str | None = None,
    end: str | None = None,
) -> list[Record]:
    """Relationships of ``rel_type``, optionally restricted to a start and/or end id."""
    return [
        r
        for r in graph["relationships"]
        if r["type"] == rel_type
        and (start is None or r["start"] == start)
        and (end is None or r["end"] == end)
    ]


def _rel_props(rel: Record) -> Record:
    result: Record = rel.get("props", {})
    return result


def _exactly_one(rels: list[Record], what: str) -> Record:
    if len(rels) != 1:
        raise ValueError(f"expected exactly one {what}, found {len(rels)}")
    return rels[0]


def member_of(graph: Graph, user_id: str) -> Record:
    """The single MEMBER_OF relationship of a user."""
    node(graph, user_id, "User")
    return _exactly_one(relationships(graph, "MEMBER_OF", start=user_id), f"MEMBER_OF of {user_id}")


def user_environment(graph: Graph, user_id: str) -> str:
    """Id of the environment the user is MEMBER_OF."""
    env_id: str = member_of(graph, user_id)["end"]
    return env_id


def member_role(graph: Graph, user_id: str) -> str:
    """The user's environment role (MEMBER_OF.role)."""
    role: str = _rel_props(member_of(graph, user_id))["role"]
    return role


def organisation_environment(graph: Graph, organisation_id: str) -> str:
    """Id of the environment the organisation BELONGS_TO."""
    node(graph, organisation_id, "Organisation")
    rel = _exactly_one(
        relationships(graph, "BELONGS_TO", start=organisation_id),
        f"BELONGS_TO of {organisation_id}",
    )
    env_id: str = rel["end"]
    return env_id


def access_role(graph: Graph, user_id: str, organisation_id: str) -> str | None:
    """The user's HAS_ACCESS role on the organisation, or None without access."""
    rels = relationships(graph, "HAS_ACCESS", start=user_id, end=organisation_id)
    if not rels:
        return None
    role: str = _exactly_one(rels, f"HAS_ACCESS {user_id}->{organisation_id}")["props"]["role"]
    return role


def partnership_environments(graph: Graph, partnership_id: str) -> tuple[str, str]:
    """The two environments of a partnership, alphabetically sorted."""
    node(graph, partnership_id, "Partnership")
    envs = sorted(r["end"] for r in relationships(graph, "BETWEEN", start=partnership_id))
    if len(envs) != 2 or envs[0] == envs[1]:
        raise ValueError(f"partnership {partnership_id} must join two environments: {envs}")
    return envs[0], envs[1]


def partnerships_between(graph: Graph, env_a: str, env_b: str) -> list[str]:
    """Ids of all partnerships joining the two (distinct) environments."""
    wanted = sorted([env_a, env_b])
    return [
        p
        for p in node_ids(graph, "Partnership")
        if list(partnership_environments(graph, p)) == wanted
    ]


def have_partnership(graph: Graph, env_a: str, env_b: str) -> bool:
    """Whether a partnership joins the two environments."""
    return len(partnerships_between(graph, env_a, env_b)) > 0


def connected(graph: Graph, a: str, b: str) -> bool:
    """Whether a CONNECTED_WITH relationship joins ``a`` and ``b`` in either direction."""
    return bool(relationships(graph, "CONNECTED_WITH", start=a, end=b)) or bool(
        relationships(graph, "CONNECTED_WITH", start=b, end=a)
    )


def relationship_managers(graph: Graph, environment_id: str) -> list[str]:
    """Users MEMBER_OF the environment whose relationshipManager flag is true."""
    return [
        u
        for u in node_ids(graph, "User")
        if user_environment(graph, u) == environment_id
        and props(graph, u).get("relationshipManager") is True
    ]


def representatives(graph: Graph, partnership_id: str) -> list[str]:
    """Users who REPRESENT the partnership, in graph order."""
    return [r["start"] for r in relationships(graph, "REPRESENTS", end=partnership_id)]


# ---------------------------------------------------------------------------
# Invite eligibility
# ---------------------------------------------------------------------------


def can_invite(  # noqa: C901, PLR0911 - one return per rule keeps it checkable by eye
    graph: Graph,
    inviter_id: str,
    invitee_id: str,
    organisation_id: str,
) -> tuple[bool, str]:
    """(allowed, code) for inviter I inviting invitee J to organisation O.

    Checks run in the order of DESIGN §3.1; the first failing one gives the code.
    "A user cannot invite themself" comes before them all: ``SELF_INVITE``.
    """
    inviter = props(graph, inviter_id, "User")
    invitee = props(graph, invitee_id, "User")
    org_env = organisation_environment(graph, organisation_id)

    # 0. nobody invites themself
    if inviter_id == invitee_id:
        return False, "SELF_INVITE"

    # 1. the inviter
    if not inviter["active"]:
        return False, "INVITER_INACTIVE"
    if inviter["loginBlocked"]:
        return False, "INVITER_LOGIN_BLOCKED"
    is_admin_of_org_env = (
        user_environment(graph, inviter_id) == org_env and member_role(graph, inviter_id) == "ADMIN"
    )
    has_inviting_access = access_role(graph, inviter_id, organisation_id) in INVITING_ACCESS_ROLES
    if not is_admin_of_org_env and not has_inviting_access:
        return False, "INVITER_NOT_AUTHORISED"

    # 2. the invitee
    if not invitee["active"]:
        return False, "INVITEE_INACTIVE"
    if invitee["loginBlocked"]:
        return False, "INVITEE_LOGIN_BLOCKED"
    if access_role(graph, invitee_id, organisation_id) is not None:
        return False, "ALREADY_HAS_ACCESS"

    # 3. same environment, or a connected partner user
    invitee_env = user_environment(graph, invitee_id)
    if invitee_env == org_env:
        return True, "SAME_ENVIRONMENT"
    if not have_partnership(graph, invitee_env, org_env):
        return False, "NO_PARTNERSHIP"
    if member_role(graph, invitee_id) not in PARTNER_INVITEE_ROLES:
        return False, "INVITEE_ROLE_TOO_LOW"
    if not connected(graph, inviter_id, invitee_id):
        return False, "NOT_CONNECTED"
    return True, "PARTNER_CONNECTED"


def matches_search(graph: Graph, user_id: str, search: str | None) -> bool:
    """Whether the user's name or email contains ``search`` case-insensitively."""
    if search is None:
        return True
    user = props(graph, user_id, "User")
    needle = search.lower()
    return needle in str(user["name"]).lower() or needle in str(user["email"]).lower()


def invite_candidates(
    graph: Graph,
    inviter_id: str,
    organisation_id: str,
    search: str | None = None,
) -> set[str]:
    """Every user J (of the whole graph) that the inviter may invite to the organisation."""
    return {
        j
        for j in node_ids(graph, "User")
        if can_invite(graph, inviter_id, j, organisation_id)[0] and matches_search(graph, j, search)
    }


# ---------------------------------------------------------------------------
# Missing connections
# ---------------------------------------------------------------------------


def authorization_request_parties(graph: Graph, request_id: str) -> tuple[str, str]:
    """(sender A, recipient B) of an authorization request."""
    node(graph, request_id, "AuthorizationRequest")
    sender: str = _exactly_one(
        relationships(graph, "SENT", end=request_id), f"SENT of {request_id}"
    )["start"]
    recipient: str = _exactly_one(
        relationships(graph, "TO", start=request_id), f"TO of {request_id}"
    )["end"]
    return sender, recipient


def expected_connections(graph: Graph) -> set[tuple[str, str]]:
    """Every ordered pair the two connection rules say should be connected (no self pairs).

    * each ACCEPTED request from A to B: (B, A) and (B, R) for every relationship
      manager R of A's environment;
    * each partnership: (representative in the alphabetically-first environment id,
      representative in the other environment).
    """
    pairs: set[tuple[str, str]] = set()
    for request_id in node_ids(graph, "AuthorizationRequest"):
        if props(graph, request_id)["status"] != "ACCEPTED":
            continue
        sender, recipient = authorization_request_parties(graph, request_id)
        pairs.add((recipient, sender))
        for manager in relationship_managers(graph, user_environment(graph, sender)):
            pairs.add((recipient, manager))
    for partnership_id in node_ids(graph, "Partnership"):
        first_env, second_env = partnership_environments(graph, partnership_id)
        reps = representatives(graph, partnership_id)
        first_side = [u for u in reps if user_environment(graph, u) == first_env]
        second_side = [u for u in reps if user_environment(graph, u) == second_env]
        if len(reps) != 2 or len(first_side) != 1 or len(second_side) != 1:
            raise ValueError(
                f"partnership {partnership_id} needs one representative per side: {reps}"
            )
        pairs.add((first_side[0], second_side[0]))
    return {(a, b) for a, b in pairs if a != b}


def missing_connections(
    graph: Graph,
    environment_id: str | None = None,
) -> set[tuple[str, str]]:
    """Expected (acceptor, peer) pairs that are not connected in either direction.

    With ``environment_id``, only pairs where either user is MEMBER_OF that environment.
    """
    return {
        (a, b)
        for a, b in expected_connections(graph)
        if not connected(graph, a, b)
        and (
            environment_id is None
            or user_environment(graph, a) == environment_id
            or user_environment(graph, b) == environment_id
        )
    }


def unordered_pairs(pairs: Iterable[tuple[str, str]]) -> set[frozenset[str]]:
    """The pairs with their orientation forgotten."""
    return {frozenset(pair) for pair in pairs}


# ---------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------


def check_invariants(graph: Graph) -> list[str]:  # noqa: C901, PLR0912
    """Human-readable list of every broken invariant of the raw format (empty when valid)."""
    problems: list[str] = []
    labels: dict[str, str] = {}
    for n in graph["nodes"]:
        if n["id"] in labels:
            problems.append(f"duplicate id {n['id']}")
        labels[n["id"]] = n["label"]

    for r in graph["relationships"]:
        allowed = RELATIONSHIP_ENDPOINTS.get(r["type"])
        ends = (labels.get(r["start"]), labels.get(r["end"]))
        if allowed is not None and ends not in allowed:
            problems.append(f"{r['type']} {r['start']}->{r['end']} joins {ends}")

    for u in node_ids(graph, "User"):
        member = relationships(graph, "MEMBER_OF", start=u)
        if len(member) != 1:
            problems.append(f"user {u} has {len(member)} MEMBER_OF")
            continue
        if _rel_props(member[0]).get("role") not in ENVIRONMENT_ROLES:
            problems.append(f"user {u} has role {_rel_props(member[0]).get('role')}")
        user = props(graph, u)
        problems.extend(
            f"user {u} {key} is not a bool"
            for key in ("active", "loginBlocked", "relationshipManager")
            if not isinstance(user.get(key), bool)
        )
        domain = props(graph, member[0]["end"]).get("emailDomain")
        if user.get("email") != f"{user.get('username')}@{domain}":
            problems.append(f"user {u} email {user.get('email')} is not username@{domain}")

    for o in node_ids(graph, "Organisation"):
        count = len(relationships(graph, "BELONGS_TO", start=o))
        if count != 1:
            problems.append(f"organisation {o} has {count} BELONGS_TO")

    for r in relationships(graph, "HAS_ACCESS"):
        if len(relationships(graph, "HAS_ACCESS", start=r["start"], end=r["end"])) != 1:
            problems.append(f"more than one HAS_ACCESS {r['start']}->{r['end']}")
        if _rel_props(r).get("role") not in ACCESS_ROLES:
            problems.append(f"HAS_ACCESS {r['start']}->{r['end']} role {_rel_props(r).get('role')}")

    env_pairs: list[tuple[str, ...]] = []
    for p in node_ids(graph, "Partnership"):
        envs = tuple(sorted(r["end"] for r in relationships(graph, "BETWEEN", start=p)))
        if len(envs) != 2 or envs[0] == envs[1]:
            problems.append(f"partnership {p} joins {envs}")
            continue
        if envs in env_pairs:
            problems.append(f"second partnership between {envs}")
        env_pairs.append(envs)
        rep_envs = sorted(
            user_environment(graph, u)
            for u in representatives(graph, p)
            if len(relationships(graph, "MEMBER_OF", start=u)) == 1
        )
        if tuple(rep_envs) != envs:
            problems.append(f"partnership {p} representatives are in {rep_envs}, not {envs}")

    for r in relationships(graph, "CONNECTED_WITH"):
        if r["start"] == r["end"]:
            problems.append(f"self connection {r['start']}")
        elif (
            len(relationships(graph, "CONNECTED_WITH", start=r["start"], end=r["end"]))
            + len(relationships(graph, "CONNECTED_WITH", start=r["end"], end=r["start"]))
            != 1
        ):
            problems.append(f"duplicate connection {r['start']}-{r['end']}")

    for ar in node_ids(graph, "AuthorizationRequest"):
        counts = {
            "SENT": len(relationships(graph, "SENT", end=ar)),
            "TO": len(relationships(graph, "TO", start=ar)),
            "FOR": len(relationships(graph, "FOR", start=ar)),
        }
        for rel_type, count in counts.items():
            if count != 1:
                problems.append(f"authorization request {ar} has {count} {rel_type}")
        if props(graph, ar).get("status") not in AR_STATUSES:
            problems.append(f"authorization request {ar} status {props(graph, ar).get('status')}")

    return problems


# ---------------------------------------------------------------------------
# Reach (DESIGN §3.0), for the visibility gate
# ---------------------------------------------------------------------------


def reach(graph: Graph, user_id: str) -> set[str]:
    """The environments whose contents ``user_id`` sees: their own, those partnered with it,
    and those of the organisations they have access to."""
    own = user_environment(graph, user_id)
    seen = {own}
    for partnership in node_ids(graph, "Partnership"):
        sides = partnership_environments(graph, partnership)
        if own in sides:
            seen.update(sides)
    for rel in relationships(graph, "HAS_ACCESS", start=user_id):
        seen.add(organisation_environment(graph, rel["end"]))
    return seen
