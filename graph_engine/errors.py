"""One exception hierarchy with stable machine codes.

Every error the engine raises on purpose is a :class:`GraphEngineError`. Its
``code`` is what GraphQL clients see in ``extensions.code``; its ``details``
are structured facts (ids, limits, the decision that refused an invite) that a
frontend can act on; its ``suggestion`` tells a human what to do next.

Both stores report refusals through :func:`problem`, a catalogue keyed by a
short kind. The Neo4j queries return the kind and its facts as data, the memory
store calls :func:`problem` directly, and so the two stores produce the very
same error for the very same situation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class GraphEngineError(Exception):
    """Base of every deliberate error; carries a stable ``code``."""

    code: ClassVar[str] = "INTERNAL"
    # The catalogue's kind, for an error built by ``problem`` (see ``named``).
    kind: str | None = None

    def __init__(
        self,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
        suggestion: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})
        self.suggestion = suggestion

    @property
    def extensions(self) -> dict[str, Any]:
        """What goes into a GraphQL error's ``extensions``."""
        ext: dict[str, Any] = {"code": self.code, **self.details}
        if self.suggestion:
            ext["suggestion"] = self.suggestion
        return ext

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, details={self.details!r})"


class Unauthenticated(GraphEngineError):
    code = "UNAUTHENTICATED"


class Forbidden(GraphEngineError):
    code = "FORBIDDEN"


class NotFound(GraphEngineError):
    code = "NOT_FOUND"


class InvalidInput(GraphEngineError):
    code = "INVALID_INPUT"


class ConstraintViolation(GraphEngineError):
    code = "CONSTRAINT_VIOLATION"


class Maintenance(GraphEngineError):
    code = "MAINTENANCE"


class SessionInvalidated(GraphEngineError):
    code = "SESSION_INVALIDATED"


class SeatLimitReached(GraphEngineError):
    code = "SEAT_LIMIT_REACHED"


class LicenceRequired(GraphEngineError):
    code = "LICENCE_REQUIRED"


class TooManyAttempts(GraphEngineError):
    """Throttled: ``details["retryAfter"]`` says how many seconds to wait (HTTP 429)."""

    code = "TOO_MANY_ATTEMPTS"


class StoreUnavailable(GraphEngineError):
    code = "STORE_UNAVAILABLE"


class MailNotSent(GraphEngineError):
    """The SMTP server did not take a message sent again (it stays where it was)."""

    code = "MAIL_NOT_SENT"


# kind -> (error class, message template, suggestion or None)
_CATALOGUE: dict[str, tuple[type[GraphEngineError], str, str | None]] = {
    "not_found": (NotFound, "{label} {id} does not exist", None),
    "duplicate_email": (
        ConstraintViolation,
        "a user with email {email} already exists",
        "Sign in with that account or use another address.",
    ),
    "duplicate_domain": (
        ConstraintViolation,
        "an environment with email domain {emailDomain} already exists ({environment})",
        "Users of that domain join the existing environment.",
    ),
    "duplicate_id": (ConstraintViolation, "{label} {id} already exists", None),
    "wrong_environment": (
        ConstraintViolation,
        "{label} {id} is not in environment {environment}",
        None,
    ),
    "access_across_environments": (
        ConstraintViolation,
        "user {user} is not in the environment of organisation {organisation}",
        "Partner users get access by accepting an invitation.",
    ),
    "user_inactive": (
        ConstraintViolation,
        "user {user} is inactive or blocked from logging in",
        "Reactivate the user first; nothing can be assigned to an inactive user.",
    ),
    "role_too_low": (
        ConstraintViolation,
        "user {user} has role {role}; this needs {required}",
        None,
    ),
    "relationship_manager_role": (
        ConstraintViolation,
        "user {user} is a relationship manager, which needs at least ADVANCED_USER",
        "Remove the relationship manager flag before lowering the role.",
    ),
    "same_environment": (
        InvalidInput,
        "users {user} and {peer} are in the same environment; a partnership joins two",
        None,
    ),
    "partnership_exists": (
        ConstraintViolation,
        "environments {environments} already have partnership {partnership}",
        "Use the existing partnership.",
    ),
    "proposal_pending": (
        ConstraintViolation,
        "a partnership proposal from your environment to this user is pending ({proposal})",
        "Answer it (acceptPartnershipProposal), or wait for the other side's answer.",
    ),
    "no_partnership": (
        ConstraintViolation,
        "there is no partnership between the environments of {user} and {peer}",
        "Create a partnership first.",
    ),
    "request_pending": (
        ConstraintViolation,
        "your authorization request {request} for this user and organisation is still pending",
        "Wait for the answer; a declined request may be sent again.",
    ),
    "send_quota": (
        TooManyAttempts,
        "you sent {limit} authorization requests within the last hour; try again in {retryAfter}s",
        "Every request mails its recipient, so senders are limited.",
    ),
    "propose_quota": (
        TooManyAttempts,
        "your environment proposed {limit} partnerships in the last hour; retry in {retryAfter}s",
        "Every proposal mails its recipient, so proposers are limited.",
    ),
    "unknown_recipient": (
        NotFound,
        "there is no user {recipient} to ask about organisation {organisation}",
        "Check both ids with the person you are asking; they are the ids in their environment.",
    ),
    "not_recipient": (
        Forbidden,
        "only the recipient {recipient} may answer {label} {id}",
        None,
    ),
    "already_decided": (
        ConstraintViolation,
        "{label} {id} is already {status}",
        None,
    ),
    "invitation_pending": (
        ConstraintViolation,
        "user {user} already has pending invitation {invitation} to organisation {organisation}",
        "Wait for the invitee to answer it.",
    ),
    "seat_limit": (
        SeatLimitReached,
        "the maximum number of active users ({limit}) has been reached",
        "Deactivate a user or raise the environment's seat limit.",
    ),
    "last_admin": (
        ConstraintViolation,
        "user {user} is the last ADMIN of environment {environment}",
        "Make another user ADMIN first.",
    ),
    "duplicate_username": (
        ConstraintViolation,
        "username {username} is already used in environment {environment}",
        "Pick another username; it is the mailbox name at the environment's domain.",
    ),
    "self_deactivation": (
        ConstraintViolation,
        "an admin cannot deactivate or block themself ({user})",
        "Ask another ADMIN of the environment.",
    ),
    "reports_to_self": (InvalidInput, "user {user} cannot report to themself", None),
    "maintenance_open": (
        ConstraintViolation,
        "environment {environment} already has open maintenance window {window}",
        "End that window first (mutation endMaintenance).",
    ),
    "no_open_maintenance": (
        NotFound,
        "environment {environment} has no open maintenance window",
        None,
    ),
    "password_removed": (
        ConstraintViolation,
        (
            "user {user} had a password, removed when their licence was released; an"
            " activation token is only for an account that never had one"
        ),
        "The user chooses a new password with requestPasswordReset (mailed to them).",
    ),
    "already_activated": (
        ConstraintViolation,
        "user {user} already has a password; there is nothing to activate",
        None,
    ),
    "relation_already_linked": (
        ConstraintViolation,
        "contractant {contractant} is already linked to relation {relationName} ({relation})",
        "Unlink that relation first (unlinkRelation), or replace it in one step (relinkRelation).",
    ),
    "linked_elsewhere": (
        ConstraintViolation,
        "contractant {contractant} is already linked to another vendor's relation",
        "A contractant has one linked relation; its vendor unlinks it first.",
    ),
    "no_active_subscription": (
        ConstraintViolation,
        (
            "relation {relationName} ({relation}) has no active subscription, and the"
            " technical set-up is stored on the relation's active subscription"
        ),
        "Create an active subscription of the relation first (createSubscription).",
    ),
    "own_contractant": (
        InvalidInput,
        "relation {relation} belongs to contractant {contractant}; link it to a customer's",
        None,
    ),
    "not_open_tasks_of": (
        ConstraintViolation,
        "tasks {tasks} are not open tasks of relation {relation}; nothing was moved",
        "List only OPEN tasks of the relation tasks are moved from (query supportTasks).",
    ),
    "same_relation": (
        InvalidInput,
        "tasks are re-hung from one relation to another, and both are {relation}",
        None,
    ),
    "holds_rights": (
        ConstraintViolation,
        "user {user} still holds ownership rights in work companies {workCompanies}",
        "Transfer those rights to another user first (mutation transferOwnership).",
    ),
    "no_access_to_work_company": (
        ConstraintViolation,
        "user {user} has no access to work companies {workCompanies}",
        "Grant the user access to those work companies first.",
    ),
    "not_holder": (
        ConstraintViolation,
        "user {user} does not hold the ownership rights of {employees}",
        "List only employees whose rights the user holds (query rightsHeldBy).",
    ),
    "licence_assigned": (
        ConstraintViolation,
        "licence {number} is assigned to user {user}",
        "Release the licence first (mutation releaseLicence).",
    ),
    "has_licence": (
        ConstraintViolation,
        "user {user} already has licence {number}",
        "A user has at most one licence; release that one first.",
    ),
    "licence_cancelled": (
        ConstraintViolation,
        "licence {number} is cancelled",
        None,
    ),
    "no_licence": (NotFound, "user {user} has no licence", None),
    "licence_number_ambiguous": (
        InvalidInput,
        "licence number {number} is used in several environments",
        "Ask as an ADMIN of the licence's environment: numbers are per environment.",
    ),
    "key_revoked": (
        ConstraintViolation,
        "key {key} is revoked",
        "Create a new key (createApiKey); a revoked key cannot be rotated.",
    ),
    "not_eligible": (
        Forbidden,
        "{user} may not invite {invitee} to {organisation}: {reason}",
        None,
    ),
}


def problem(kind: str, /, **facts: Any) -> GraphEngineError:
    """Build the error for a refusal ``kind`` with its ``facts``.

    Examples
    --------
    >>> err = problem("not_found", label="User", id="usr_1")
    >>> err.code, err.message
    ('NOT_FOUND', 'User usr_1 does not exist')
    """
    try:
        cls, template, suggestion = _CATALOGUE[kind]
    except KeyError:
        return GraphEngineError(f"unexpected refusal {kind!r}", details={"kind": kind})
    details = {k: v for k, v in facts.items() if v is not None}
    suggestion = facts.get("suggestion", suggestion)
    details.pop("suggestion", None)
    # Lists read as "a, b" in the message and stay lists in the details.
    shown = {
        k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v for k, v in facts.items()
    }
    names = facts.get("workCompanyNames")
    if names is not None:
        # Named, the companies read "Zuid (org_1), Noord (org_2)" in the message.
        pairs = zip(names, facts.get("workCompanies") or (), strict=True)
        shown["workCompanies"] = ", ".join(f"{name} ({id_})" for name, id_ in pairs)
    err = cls(template.format_map(_Blank(shown)), details=details, suggestion=suggestion)
    err.kind = kind
    return err


def named(err: GraphEngineError, names: Mapping[str, str]) -> GraphEngineError:
    """``err`` again, its work companies named as well (``workCompanyNames``, in the
    order of ``workCompanies``; an id without a name stands for itself)."""
    companies = err.details.get("workCompanies")
    if err.kind is None or not companies:
        return err
    return problem(
        err.kind,
        **err.details,
        workCompanyNames=[names.get(c, c) for c in companies],
        suggestion=err.suggestion,
    )


def from_problem(data: Mapping[str, Any]) -> GraphEngineError:
    """Rebuild an error from the ``{kind, ...facts}`` map a Cypher query returned."""
    facts = dict(data)
    kind = str(facts.pop("kind"))
    return problem(kind, **facts)


class _Blank(dict[str, Any]):
    """Format map that leaves an unknown placeholder visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
