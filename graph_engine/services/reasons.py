"""Human sentences for invite decisions, filled in from the deciding path."""

from __future__ import annotations

from graph_engine.model import Decision, DecisionCode

_REASONS: dict[DecisionCode, str] = {
    DecisionCode.SELF_INVITE: (
        "{inviter} cannot invite themself; an ADMIN gives themself access with grantAccess."
    ),
    DecisionCode.SAME_ENVIRONMENT: "{invitee} is in the environment of {organisation}.",
    DecisionCode.PARTNER_CONNECTED: (
        "{invitee} is an advanced user or admin of a partner environment of {organisation}"
        " and is connected with {inviter}."
    ),
    DecisionCode.INVITER_INACTIVE: "{inviter} is inactive.",
    DecisionCode.INVITER_LOGIN_BLOCKED: "{inviter} is blocked from logging in.",
    DecisionCode.INVITER_NOT_AUTHORISED: (
        "{inviter} is neither ADMIN of the environment of {organisation}"
        " nor an advanced user or admin with access to it."
    ),
    DecisionCode.INVITEE_INACTIVE: "{invitee} is inactive.",
    DecisionCode.INVITEE_LOGIN_BLOCKED: "{invitee} is blocked from logging in.",
    DecisionCode.ALREADY_HAS_ACCESS: "{invitee} already has access to {organisation}.",
    DecisionCode.NO_PARTNERSHIP: (
        "the environment of {invitee} has no partnership with the environment of {organisation}."
    ),
    DecisionCode.INVITEE_ROLE_TOO_LOW: (
        "{invitee} is a partner user without the ADVANCED_USER or ADMIN role;"
        " only those can be invited across a partnership."
    ),
    DecisionCode.NOT_CONNECTED: (
        "{inviter} and {invitee} are not connected; partner users can only be invited"
        " by someone they are connected with."
    ),
}


def reason(decision: Decision, inviter_id: str, invitee_id: str, organisation_id: str) -> str:
    names = {n.id: f"{n.name} ({n.id})" if n.name != n.id else n.id for n in decision.nodes}
    return _REASONS[decision.code].format(
        inviter=names.get(inviter_id, inviter_id),
        invitee=names.get(invitee_id, invitee_id),
        organisation=names.get(organisation_id, organisation_id),
    )


def fix_description(decision: Decision) -> str | None:
    if decision.fix is None:
        return None
    a, b = decision.fix.user_ids
    return f"Connect {a} with {b} (mutation connect), then ask again."
