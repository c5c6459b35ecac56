"""Invite decisions (DESIGN §3.1), assembled the same way by both stores.

A store collects the facts that decided (the nodes and relationships of the
path) and the code of the first failing check; :func:`decision` turns them into
a :class:`graph_engine.model.Decision` that carries its subject (inviter,
invitee, organisation) and its reason in words, so nobody downstream recomputes
either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from string import Template
from typing import Any

from graph_engine.errors import GraphEngineError, problem
from graph_engine.model import Decision, DecisionCode, Fix, PathNode, PathRelationship

Props = Mapping[str, Any]

# Templates, not str.format: nothing in the store formats strings (tests/test_project.py).
_REASONS: dict[DecisionCode, Template] = {
    DecisionCode.SELF_INVITE: Template(
        "${inviter} cannot invite themself; an ADMIN gives themself access with grantAccess."
    ),
    DecisionCode.SAME_ENVIRONMENT: Template("${invitee} is in the environment of ${organisation}."),
    DecisionCode.PARTNER_CONNECTED: Template(
        "${invitee} is an advanced user or admin of a partner environment of ${organisation}"
        " and is connected with ${inviter}."
    ),
    DecisionCode.INVITER_INACTIVE: Template("${inviter} is inactive."),
    DecisionCode.INVITER_LOGIN_BLOCKED: Template("${inviter} is blocked from logging in."),
    DecisionCode.INVITER_NOT_AUTHORISED: Template(
        "${inviter} is neither ADMIN of the environment of ${organisation}"
        " nor an advanced user or admin with access to it."
    ),
    DecisionCode.INVITEE_INACTIVE: Template("${invitee} is inactive."),
    DecisionCode.INVITEE_LOGIN_BLOCKED: Template("${invitee} is blocked from logging in."),
    DecisionCode.ALREADY_HAS_ACCESS: Template("${invitee} already has access to ${organisation}."),
    DecisionCode.NO_PARTNERSHIP: Template(
        "the environment of ${invitee} has no partnership with the environment of ${organisation}."
    ),
    DecisionCode.INVITEE_ROLE_TOO_LOW: Template(
        "${invitee} is a partner user without the ADVANCED_USER or ADMIN role;"
        " only those can be invited across a partnership."
    ),
    DecisionCode.NOT_CONNECTED: Template(
        "${inviter} and ${invitee} are not connected; partner users can only be invited"
        " by someone they are connected with."
    ),
}


def reason(
    code: DecisionCode,
    nodes: Sequence[PathNode],
    inviter_id: str,
    invitee_id: str,
    organisation_id: str,
) -> str:
    """The decision in words, naming each party as the path shows them ("Name (id)").

    Examples
    --------
    >>> reason(DecisionCode.INVITER_INACTIVE, [PathNode("u1", "User", "Carla")], "u1", "u2", "o")
    'Carla (u1) is inactive.'
    """
    names = {n.id: f"{n.name} ({n.id})" if n.name != n.id else n.id for n in nodes}
    return _REASONS[code].substitute(
        inviter=names.get(inviter_id, inviter_id),
        invitee=names.get(invitee_id, invitee_id),
        organisation=names.get(organisation_id, organisation_id),
    )


def decision(
    code: str,
    nodes: Sequence[Props],
    relationships: Sequence[Props],
    *,
    inviter_id: str,
    invitee_id: str,
    organisation_id: str,
) -> Decision:
    """Assemble a decision from its code and the path facts a store collected.

    Nodes and relationships are deduplicated and sorted so that both stores give
    an identical answer whatever order they found the facts in.
    """
    dc = DecisionCode(code)
    path_nodes = {
        n["id"]: PathNode(id=n["id"], label=n["label"], name=n.get("name") or n["id"])
        for n in nodes
        if n is not None and n.get("id") is not None
    }
    path_rels = {
        (r["type"], r["start"], r["end"]): PathRelationship(
            type=r["type"], start_id=r["start"], end_id=r["end"], role=r.get("role")
        )
        for r in relationships
        if r is not None and r.get("start") is not None and r.get("end") is not None
    }
    fix = None
    if dc is DecisionCode.NOT_CONNECTED:
        fix = Fix(action="connect", user_ids=(inviter_id, invitee_id))
    sorted_nodes = tuple(sorted(path_nodes.values(), key=lambda n: n.id))
    return Decision(
        allowed=dc in {DecisionCode.SAME_ENVIRONMENT, DecisionCode.PARTNER_CONNECTED},
        code=dc,
        nodes=sorted_nodes,
        relationships=tuple(
            sorted(path_rels.values(), key=lambda r: (r.type, r.start_id, r.end_id))
        ),
        fix=fix,
        inviter_id=inviter_id,
        invitee_id=invitee_id,
        organisation_id=organisation_id,
        reason=reason(dc, sorted_nodes, inviter_id, invitee_id, organisation_id),
    )


def not_eligible(decision: Decision) -> GraphEngineError:
    """The refusal of an invite: the decision's code (and fix) go into the details."""
    fix = decision.fix
    return problem(
        "not_eligible",
        user=decision.inviter_id,
        invitee=decision.invitee_id,
        organisation=decision.organisation_id,
        reason=str(decision.code),
        fix=None if fix is None else {"action": fix.action, "userIds": list(fix.user_ids)},
    )
