"""Who the caller is and what they may act on.

Permissions are read from the live graph on every request (the principal is
resolved per request, its reach read once per request); nothing is cached in a
session, so a change of role or partnership counts at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph_engine.errors import Forbidden
from graph_engine.model import Location, Principal, PrincipalKind, Role, User
from graph_engine.services import visibility
from graph_engine.store.visibility import VisibilityStore


def require_user(caller: Principal) -> User:
    """The logged-in user behind ``caller``; machine principals are refused."""
    if caller.user is None:
        raise Forbidden(
            f"this operation acts as a user; a {caller.kind} key cannot perform it",
            details={"principal": caller.kind},
        )
    return caller.user


def is_admin_of(caller: Principal, environment_id: str | None) -> bool:
    """Operators administer every environment; a user only their own, as ADMIN."""
    if caller.is_operator:
        return True
    user = caller.user
    return user is not None and user.role is Role.ADMIN and user.environment_id == environment_id


def require_admin_of(caller: Principal, environment_id: str | None) -> None:
    if not is_admin_of(caller, environment_id):
        raise Forbidden(
            f"only an ADMIN of environment {environment_id} or an operator may do this",
            details={"environment": environment_id},
        )


def require_operator(caller: Principal) -> None:
    if caller.kind is not PrincipalKind.OPERATOR:
        raise Forbidden("only an operator may do this")


async def reach(
    store: VisibilityStore, caller: Principal, wanted: Sequence[tuple[str, str]]
) -> dict[str, Location]:
    """Locate ``(label, id)`` pairs the caller wants to act on, within their reach.

    Unknown ids, ids of another label and ids outside the caller's reach are one
    and the same NOT_FOUND (:func:`graph_engine.services.visibility.locate`).
    """
    return await visibility.locate(store, caller, wanted)
