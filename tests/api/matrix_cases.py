"""The authorization matrix's data: the schema walk, the world and the table of cases.

``test_authorization_matrix.py`` says what is asserted; this module holds what it
runs on:

* :func:`root_fields`, :func:`reachable_coordinates` and :func:`selection` read the
  GraphQL schema the engine serves, so a new field or type shows up by itself;
* :func:`build_world` makes three customer environments over HTTP: X (the attackers'
  home), Y (the victim: every text in it carries :data:`CANARY`) and P (a partner of
  both, so X reaches P and P reaches Y), plus Q (out of X's reach too, canary
  :data:`CANARY_Q`), where Y has a pending proposal and whose herald sent X a request;
* :data:`CASES` gives every root field of ``Query`` and ``Mutation`` one or more
  argument sets aimed at Y (or at the P objects that touch Y), written with
  :class:`Ref` placeholders that :func:`resolve` fills in from the world.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from apiclient import Api
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    is_leaf_type,
    is_non_null_type,
)

from graph_engine import ids
from graph_engine.api.node import global_id
from graph_engine.api.schema import schema as engine_schema
from graph_engine.model import PrincipalKind

# Every text of Y carries this (lowercase: the search is case-insensitive).
CANARY = "canary-y"
# And every text of Q but the record of Q's herald, who introduces themself to X.
CANARY_Q = "canary-q"
Y_DOMAIN = f"{CANARY}.example"
# Typed wherever a password is asked for: long and unusual, so no password rule refuses it.
PASSWORD = "lantern quartz velvet tide 47 ferns"
# Levels of an answer selected in full (cycles included); below, a type is expanded only
# where it is new to the path from the root and to the document below this depth: the
# document stays within the request bounds and every field is still reached.
FULL_DEPTH = 3
# Nested lists ask for this many items: the request's cost (DESIGN §3.0: every request
# is bounded) multiplies what a list selects by its length.
NESTED_FIRST = 10
# Search terms are strict parts of the canary: a hit's canary text is then never "typed".
SEARCH = "anary"

ROLES = ("ADMIN", "CONSULTANT", "ADVANCED_USER", "USER", "CLIENT", "CANDIDATE")


# -- the schema --------------------------------------------------------------------------


@cache
def graphql_schema() -> GraphQLSchema:
    """The schema the engine serves, as graphql-core types (parsed from its SDL)."""
    return build_schema(engine_schema.as_str())


def root_type(operation: str) -> GraphQLObjectType:
    root = graphql_schema().query_type if operation == "query" else graphql_schema().mutation_type
    assert root is not None
    return root


def root_fields() -> dict[str, str]:
    """Every root field, mapped to its operation (``query`` or ``mutation``)."""
    found = dict.fromkeys(root_type("query").fields, "query")
    for name in root_type("mutation").fields:
        assert name not in found, f"{name} is both a query and a mutation"
        found[name] = "mutation"
    return found


def reachable_coordinates() -> set[tuple[str, str]]:
    """Every (object type, field) an answer can hold, reached from Query and Mutation."""
    found: set[tuple[str, str]] = set()
    todo = [root_type("query"), root_type("mutation")]
    seen: set[str] = set()
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for name, gql_field in current.fields.items():
            named = get_named_type(gql_field.type)
            if current.name not in {"Query", "Mutation"}:
                found.add((current.name, name))
            if isinstance(named, GraphQLObjectType):
                todo.append(named)
    return found


def _selectable(gql_field: GraphQLField) -> bool:
    """Nested fields are selected without arguments: only those whose arguments may be left out."""
    return all(
        not is_non_null_type(arg.type) or arg.default_value is not None
        for arg in gql_field.args.values()
    )


def selection(
    of: GraphQLObjectType,
    selected: set[tuple[str, str]],
    depth: int = 1,
    path: frozenset[str] = frozenset(),
    deep: set[str] | None = None,
) -> str | None:
    """Every field of ``of``, recursively, adding what it selects to ``selected``.

    Down to :data:`FULL_DEPTH` every object field is expanded, cycles included; below it,
    a type is expanded only where it is new to the path and was not yet expanded below
    that depth elsewhere in the document (``deep``). None when nothing can be selected.
    """
    deep = set() if deep is None else deep
    path = path | {of.name}
    parts: list[str] = []
    chosen: list[tuple[str, str]] = []
    for name, gql_field in of.fields.items():
        if not _selectable(gql_field):
            continue
        named = get_named_type(gql_field.type)
        if is_leaf_type(named):
            parts.append(name)
        elif isinstance(named, GraphQLObjectType):
            if depth >= FULL_DEPTH:
                if named.name in path or named.name in deep:
                    continue
                deep.add(named.name)
            inner = selection(named, selected, depth + 1, path, deep)
            if inner is None:
                continue
            paged = f"(first: {NESTED_FIRST})" if "first" in gql_field.args else ""
            parts.append(f"{name}{paged} {inner}")
        else:  # pragma: no cover - the schema has no interfaces or unions today
            continue
        chosen.append((of.name, name))
    if not parts:
        return None
    selected.update(chosen)
    return "{ " + " ".join(parts) + " }"


@dataclass(frozen=True)
class Document:
    text: str
    # The (type, field) coordinates it selects.
    selected: frozenset[tuple[str, str]]


def document(field_name: str, arg_names: tuple[str, ...]) -> Document:
    """The operation calling ``field_name`` with ``arg_names`` as variables, selecting all."""
    return _document(field_name, tuple(sorted(arg_names)))


@cache
def _document(field_name: str, arg_names: tuple[str, ...]) -> Document:
    operation = root_fields()[field_name]
    root_field = root_type(operation).fields[field_name]
    unknown = set(arg_names) - set(root_field.args)
    assert not unknown, f"{field_name} has no argument {sorted(unknown)}"
    selected: set[tuple[str, str]] = set()
    named = get_named_type(root_field.type)
    inner = ""
    if isinstance(named, GraphQLObjectType):
        found = selection(named, selected)
        assert found is not None, f"nothing to select in {named.name}"
        inner = " " + found
    elif isinstance(named, GraphQLInterfaceType):  # node(id:): every type that implements it
        parts = ["__typename"]
        for implementing in graphql_schema().get_possible_types(named):
            found = selection(implementing, selected)
            assert found is not None, f"nothing to select in {implementing.name}"
            parts.append(f"... on {implementing.name} {found}")
        inner = " { " + " ".join(parts) + " }"
    declared = ", ".join(f"${a}: {root_field.args[a].type}" for a in arg_names)
    passed = ", ".join(f"{a}: ${a}" for a in arg_names)
    head = f"{operation} Matrix({declared})" if arg_names else f"{operation} Matrix"
    call = f"{field_name}({passed})" if arg_names else field_name
    return Document(f"{head} {{ {call}{inner} }}", frozenset(selected))


def missing_required(field_name: str, arg_names: set[str]) -> list[str]:
    """Required arguments (non-null, no default) of a root field that a case leaves out."""
    root_field = root_type(root_fields()[field_name]).fields[field_name]
    return [
        name
        for name, arg in root_field.args.items()
        if is_non_null_type(arg.type) and arg.default_value is None and name not in arg_names
    ]


# -- the cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A placeholder for a value of the world (an id, an address, a time), or the caller."""

    name: str


SELF = Ref("self")


@dataclass(frozen=True)
class GlobalRef(Ref):
    """A world's id as the global id of its GraphQL type (for ``node(id:)``)."""

    type_name: str = ""


@dataclass(frozen=True)
class Case:
    """One row of the matrix: a root field and the arguments an outsider sends."""

    field: str
    args: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    # Run after the principal's other calls (it ends the caller's session).
    last: bool = False

    @property
    def label(self) -> str:
        shown = ", ".join(f"{k}: {_show(v)}" for k, v in sorted(self.args.items()))
        return f"{self.field}({shown})"


def _show(value: Any) -> str:
    if isinstance(value, GlobalRef):
        return f"{value.type_name}:{value.name}"
    if isinstance(value, Ref):
        return value.name
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return repr(value)


def resolve(value: Any, refs: Mapping[str, str], self_id: str) -> Any:
    """``value`` with every :class:`Ref` replaced (``SELF`` by ``self_id``)."""
    if isinstance(value, GlobalRef):
        return global_id(value.type_name, refs[value.name])
    if isinstance(value, Ref):
        return self_id if value == SELF else refs[value.name]
    if isinstance(value, list):
        return [resolve(v, refs, self_id) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, refs, self_id) for k, v in value.items()}
    return value


def refs_in(value: Any) -> Iterator[Ref]:
    if isinstance(value, Ref):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from refs_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from refs_in(v)


Y = Ref("y.env")
P = Ref("p.env")
X = Ref("x.env")


def _c(name: str, /, **args: Any) -> Case:
    return Case(name, args)


QUERY_CASES: tuple[Case, ...] = (
    # -- relations (Staff / MaxCC): Y is a vendor (its relation is linked to P) and a
    # contractant (P's relation is linked to Y)
    _c("relation", id=Ref("y.rel.old")),
    _c("relation", id=Ref("p.rel")),
    _c("relations", environmentId=Y),
    _c("relations", environmentId=Y, search=SEARCH),
    _c("relations", environmentId=P),
    _c("linkedRelation", contractantId=Y),
    _c("linkedRelation", contractantId=P),
    _c("subscriptionCount", contractantId=Y),
    _c("subscriptionCount", contractantId=P),
    _c("supportTasks", contractantId=Y),
    _c("supportTasks", contractantId=P, status="OPEN"),
    # -- the graph by id; P's objects are reached by X, and carry ties to Y
    _c("me"),
    _c("environment", id=Y),
    _c("environment", id=P),
    _c("user", id=Ref("y.admin")),
    _c("user", id=Ref("y.leaver")),
    _c("user", id=Ref("p.b")),
    # Q's herald addressed X's ADVANCED_USER, who sees the record, bare; nobody else
    _c("user", id=Ref("q.herald")),
    _c("organisation", id=Ref("y.noord")),
    _c("organisation", id=Ref("p.org")),
    _c("partnership", id=Ref("y.partnership")),
    _c("partnership", id=Ref("x.partnership")),
    _c("authorizationRequests", incoming=True),
    _c("authorizationRequests", incoming=False),
    _c("invitations", incoming=True),
    _c("invitations", incoming=False),
    _c("connections"),
    _c("connections", userId=Ref("y.admin")),
    _c("connections", userId=Ref("p.b")),
    _c("canInvite", inviteeId=Ref("y.user"), organisationId=Ref("x.org")),
    _c("canInvite", inviteeId=SELF, organisationId=Ref("y.noord")),
    _c("canInvite", inviteeId=Ref("p.b"), organisationId=Ref("x.org")),
    _c(
        "canInvite",
        inviteeId=Ref("y.user"),
        organisationId=Ref("y.noord"),
        inviterId=Ref("y.admin"),
    ),
    # On behalf of b (P's user with access in Y): may b invite P's admin to Y's Zuid?
    _c("canInvite", inviteeId=Ref("p.admin"), organisationId=Ref("y.zuid"), inviterId=Ref("p.b")),
    _c("inviteCandidates", organisationId=Ref("y.noord")),
    _c("inviteCandidates", organisationId=Ref("x.org"), search=SEARCH),
    _c("missingConnections"),
    _c("missingConnections", environmentId=Y),
    _c("missingConnections", environmentId=P),
    _c("maintenanceStatus"),
    _c("savedFilters"),
    _c("signUps", environmentId=Y),
    _c("outbox"),
    _c("outbox", to=Ref("y.admin.email")),
    _c("partnershipProposals", incoming=True),
    _c("partnershipProposals", incoming=False),
    _c("seatUsage", environmentId=Y),
    _c("dossiers", environmentId=Y),
    _c("dossiers", filter={"responsibleId": Ref("y.user")}),
    _c("dossiers", filter={"responsibleNameContains": SEARCH}),
    _c("routeMail", address=Ref("y.admin.email")),
    _c("routeMail", address=Ref("y.leaver.email")),
    # -- any object by its global id, behind its own query's gate
    _c("node", id=GlobalRef("y.admin", "User")),
    _c("node", id=GlobalRef("p.b", "User")),
    _c("node", id=GlobalRef("y.env", "Environment")),
    _c("node", id=GlobalRef("y.noord", "Organisation")),
    _c("node", id=GlobalRef("p.org", "Organisation")),
    _c("node", id=GlobalRef("y.partnership", "Partnership")),
    _c("node", id=GlobalRef("y.rel.old", "Relation")),
    _c("node", id=GlobalRef("q.herald", "User")),
    # one id a case: the full selection of every Node type costs ~17k per id, and the
    # documents must fit the cost limit (several ids at once: tests/api/test_connections.py)
    _c("nodes", ids=[GlobalRef("x.admin", "User")]),
    _c("nodes", ids=[GlobalRef("y.leaver", "User")]),
    _c("nodes", ids=[GlobalRef("p.env", "Environment")]),
    _c("nodes", ids=[GlobalRef("y.env", "Environment")]),
    _c("findNodes", search=SEARCH),
    _c("findNodes", search="vonne"),
    _c("neighbourhood", id=Ref("y.admin")),
    _c("neighbourhood", id=Ref("p.b"), depth=3),
    _c("neighbourhood", id=P, depth=3),
    _c("neighbourhood", id=Ref("x.admin"), depth=3),
    # every signed-in user explores now: from X's own people and partnership, three steps
    # out, nothing of Y may show (X and Y share the partner P); Y's records never
    _c("neighbourhood", id=Ref("x.user"), depth=3),
    _c("neighbourhood", id=Ref("x.partnership"), depth=3),
    _c("neighbourhood", id=Ref("y.licence.assigned")),
    _c("neighbourhood", id=Ref("y.invitation.pending")),
    _c("neighbourhood", id=Ref("y.dossier")),
    _c("findNodes", search="a", first=100),
    _c("ownershipOf", employeeId=Ref("y.user")),
    _c("ownershipOf", employeeId=Ref("p.b")),
    _c("rightsHeldBy", userId=Ref("y.advanced")),
    _c("licenceOf", userId=Ref("y.user")),
    _c("inbox"),
    _c("inbox", userId=Ref("y.advanced")),
    # -- sessions, keys and the audit trail
    _c("mySessions"),
    # -- the test clock (null on this wall-clock server, operators only)
    _c("testClock"),
    _c("apiKeys"),
    _c("apiKeys", environmentId=Y),
    _c("auditLog", environmentId=Y),
    _c("auditLog", environmentId=P),
    # X's own log: events of X's asks to Y name Y's ids only as far as X reaches them
    _c("auditLog", environmentId=X, first=100),
)

A_WHILE = Ref("time.tomorrow")

MUTATION_CASES: tuple[Case, ...] = (
    # -- relations
    _c("createRelation", environmentId=Y, name="x relation"),
    _c("createSubscription", relationId=Ref("y.rel.old")),
    # ending it would end Y's relation's link to P
    _c("endSubscription", subscriptionId=Ref("y.sub.old")),
    _c("createTask", relationId=Ref("y.rel.old"), title="x task"),
    _c("closeTask", taskId=Ref("y.task.open")),
    _c("linkRelation", relationId=Ref("x.rel"), contractantId=Y, database="x-db"),
    # P (X's partner) is linked to Y's relation: a refusal must not name it
    _c("linkRelation", relationId=Ref("x.rel"), contractantId=P, database="x-db"),
    _c("linkRelation", relationId=Ref("y.rel.new"), contractantId=X, database="x-db"),
    _c("unlinkRelation", contractantId=Y),
    _c("unlinkRelation", contractantId=P),
    _c("relinkRelation", contractantId=P, relationId=Ref("x.rel"), database="x-db"),
    _c("relinkRelation", contractantId=Y, relationId=Ref("x.rel"), database="x-db"),
    _c("rehangTasks", fromRelationId=Ref("y.rel.old"), toRelationId=Ref("x.rel")),
    _c("rehangTasks", fromRelationId=Ref("y.rel.old"), toRelationId=Ref("y.rel.new")),
    # -- identity
    _c("login", email=Ref("y.admin.email"), password="not yvonne's password"),
    Case("logout", last=True),
    _c("endSession", sessionId=Ref("y.admin.session")),
    _c("endUserSessions", userId=Ref("y.admin")),
    _c("endUserSessions", userId=Ref("p.b")),
    _c("changePassword", currentPassword="not my password at all", newPassword=PASSWORD),
    _c("requestPasswordReset", email=Ref("y.admin.email")),
    _c("resetPassword", token="grp_guessed", password=PASSWORD),
    _c("revokeApiKey", keyId=Ref("y.key.INTEGRATION")),
    _c("rotateApiKey", keyId=Ref("y.key.BACKOFFICE")),
    _c("createApiKey", kind="INTEGRATION", name="x key", environmentId=Y),
    _c("createApiKey", kind="OPERATOR", name="x operator"),
    _c("createActivationToken", userId=Ref("y.pending")),
    _c("activateAccount", token="gea_guessed", password=PASSWORD),
    _c("signUp", email=f"newcomer@{Y_DOMAIN}", name="x newcomer", password=PASSWORD),
    _c("signUp", email=Ref("y.admin.email"), name="x impostor", password=PASSWORD),
    _c("verifySignUp", token="gsu_guessed", password=PASSWORD),
    _c("approveSignUp", signUpId=Ref("y.signup")),
    _c("declineSignUp", signUpId=Ref("y.signup")),
    # -- maintenance
    _c("scheduleMaintenance", environmentId=Y, startsAt=A_WHILE),
    _c("endMaintenance", environmentId=Y),
    _c("acknowledgeMaintenanceWarning"),
    # -- saved filters and alerts: a filter is its owner's alone; runs are Y's key's
    _c("saveFilter", input={"name": "x filter", "kind": "VACANCY", "nameContains": SEARCH}),
    _c("deleteFilter", id=Ref("y.filter")),
    _c("runAlerts", environmentId=Y),
    _c("runAlerts"),
    # the world's server runs on the wall clock: refused to every principal
    _c("advanceTestClock", seconds=3600),
    # operators only; this server has no SMTP server, so the outbox is not a dead-letter list
    _c("resendOutboxMail", id="obx_0000000000000000"),
    _c("submitApplication", environmentId=Y, name="x applicant", email="x@attackers-x.example"),
    # -- provisioning
    _c("createEnvironment", input={"name": "x takeover", "emailDomain": Y_DOMAIN}),
    _c(
        "createUser",
        input={"environmentId": Y, "email": f"spy@{Y_DOMAIN}", "name": "x spy", "role": "ADMIN"},
    ),
    _c("createUser", input={"environmentId": X, "email": Ref("y.admin.email"), "name": "x spy"}),
    _c("createOrganisation", environmentId=Y, name="x org"),
    _c("grantAccess", userId=SELF, organisationId=Ref("y.noord"), role="ADMIN"),
    _c("grantAccess", userId=Ref("y.user"), organisationId=Ref("x.org")),
    _c("revokeAccess", userId=Ref("p.b"), organisationId=Ref("y.noord")),
    _c("revokeAccess", userId=Ref("y.user"), organisationId=Ref("y.noord")),
    _c("setUserRole", userId=Ref("y.admin"), role="CANDIDATE"),
    _c("setUserRole", userId=Ref("p.b"), role="CANDIDATE"),
    # -- partnerships, requests, connections, invitations
    _c("createPartnership", partnerUserId=Ref("y.admin"), userId=SELF),
    _c("createPartnership", partnerUserId=Ref("y.admin"), userId=Ref("p.admin")),
    _c(
        "sendAuthorizationRequest",
        recipientId=Ref("y.admin"),
        organisationId=Ref("y.noord"),
        software="x soft",
    ),
    _c(
        "sendAuthorizationRequest",
        recipientId=Ref("p.b"),
        organisationId=Ref("y.noord"),
        software="x soft",
    ),
    _c("acceptAuthorizationRequest", requestId=Ref("y.request.pending")),
    _c("acceptAuthorizationRequest", requestId=Ref("y.request.accepted")),
    _c("declineAuthorizationRequest", requestId=Ref("y.request.pending")),
    _c("declineAuthorizationRequest", requestId=Ref("y.request.outgoing")),
    _c("setRelationshipManager", userId=Ref("y.advanced"), enabled=False),
    _c("connect", userId=SELF, peerId=Ref("y.admin")),
    _c("connect", userId=Ref("p.b"), peerId=Ref("y.user")),
    _c("repairConnections", partnershipId=Ref("y.partnership")),
    _c("invite", inviteeId=Ref("y.user"), organisationId=Ref("x.org")),
    _c("invite", inviteeId=SELF, organisationId=Ref("y.noord")),
    _c("acceptInvitation", invitationId=Ref("y.invitation.pending")),
    _c("acceptInvitation", invitationId=Ref("y.invitation.accepted")),
    _c("declineInvitation", invitationId=Ref("y.invitation.pending")),
    _c("proposePartnership", partnerUserId=Ref("y.admin")),
    _c("proposePartnership", partnerUserId=Ref("x.admin"), userId=Ref("y.admin")),
    _c("proposePartnership", partnerUserId=Ref("y.advanced"), userId=Ref("p.b")),
    _c("acceptPartnershipProposal", proposalId=Ref("y.proposal.pending")),
    _c("acceptPartnershipProposal", proposalId=Ref("y.proposal.accepted")),
    _c("declinePartnershipProposal", proposalId=Ref("y.proposal.pending")),
    # -- offboarding
    _c("deactivateUser", userId=Ref("y.admin")),
    _c("deactivateUser", userId=Ref("p.b")),
    _c("reactivateUser", userId=Ref("y.leaver")),
    _c("blockLogin", userId=Ref("y.admin")),
    _c("unblockLogin", userId=Ref("y.leaver")),
    _c("renameUser", userId=Ref("y.user"), username="x_renamed"),
    _c("updateMailSettings", userId=Ref("y.leaver"), mailEnabled=False),
    _c("setReportsTo", userId=Ref("y.leaver"), reportsToId=Ref("x.admin")),
    _c("setReportsTo", userId=Ref("y.user"), reportsToId=None),
    _c("setReportsTo", userId=Ref("x.user"), reportsToId=Ref("y.admin")),
    _c("createDossier", name="x dossier", responsibleId=Ref("y.user")),
    _c(
        "reassignDossiers",
        environmentId=Y,
        filter={"responsibleId": Ref("y.user")},
        takeOver=True,
    ),
    _c(
        "reassignDossiers",
        environmentId=X,
        dossierIds=[Ref("y.dossier")],
        toUserId=Ref("x.user"),
    ),
    _c(
        "reassignDossiers",
        environmentId=X,
        filter={"responsibleId": Ref("y.user")},
        toUserId=Ref("x.user"),
    ),
    _c("reassignDossiers", filter={"responsibleNameContains": SEARCH}, takeOver=True),
    # -- ownership, licences, process messages
    _c("transferOwnership", **{"from": Ref("y.user"), "to": SELF}),
    _c("transferOwnership", **{"from": Ref("y.advanced"), "to": Ref("y.admin")}),
    _c(
        "transferOwnership",
        **{"from": Ref("x.user"), "to": Ref("x.admin"), "employeeIds": [Ref("y.user")]},
    ),
    _c(
        "transferOwnership",
        **{"from": Ref("x.user"), "to": Ref("x.admin"), "workCompanyIds": [Ref("y.noord")]},
    ),
    # Y's licences, by their numbers, to X's users without one, in X's work company (two
    # users: the unknown number of the first case's twin is assigned)
    _c(
        "assignLicence",
        number=Ref("y.licence.released"),
        userId=Ref("x.client"),
        workCompanyId=Ref("x.org"),
    ),
    _c(
        "assignLicence",
        number=Ref("y.licence.assigned"),
        userId=Ref("x.candidate"),
        workCompanyId=Ref("x.org"),
    ),
    _c("assignLicence", number="X-NEW-1", userId=Ref("y.user"), workCompanyId=Ref("y.noord")),
    _c("releaseLicence", userId=Ref("y.user")),
    _c("requestLicenceCancellation", number=Ref("y.licence.released")),
    _c("requestLicenceCancellation", number=Ref("y.licence.assigned")),
    _c("runNightlyProcessing", environmentId=Y, process="x run"),
    _c("deliverProcessMessages", environmentId=Y),
    _c("deliverProcessMessages"),
)

# Cases of fields the schema does not have (any more, or yet) drop out; a misspelt field
# then leaves the real one without a case, which the meta-test reports.
QUERY_CASES = tuple(c for c in QUERY_CASES if c.field in root_fields())
MUTATION_CASES = tuple(c for c in MUTATION_CASES if c.field in root_fields())
CASES: tuple[Case, ...] = QUERY_CASES + MUTATION_CASES


# -- the world ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Principal:
    """A caller of the matrix; ``user_id`` is None for anonymous and machine keys."""

    name: str
    token: str | None
    user_id: str | None
    outsider: bool


@dataclass
class World:
    """The values the cases refer to (ids, addresses, licence numbers, times) and who
    calls."""

    refs: dict[str, str] = field(default_factory=dict)
    principals: dict[str, Principal] = field(default_factory=dict)
    # Per principal: the ids of Q they may see (see :func:`introductions`).
    introduced: dict[str, frozenset[str]] = field(default_factory=dict)


async def ok(api: Api, token: str | None, query: str, **variables: Any) -> Any:
    return await api.ok(query, token, **variables)


async def open_session(api: Api, user_id: str, session_id: str | None = None) -> str:
    """A session opened in the store: a password hash per user would cost more than the
    matrix itself, and login has its own tests."""
    token = ids.new_session_token()
    await api.engine.store.create_session(
        session_id=session_id or ids.new_id("Session"),
        user_id=user_id,
        token_hash=ids.token_hash(token),
        at=api.engine.clock.now(),
    )
    return token


async def _environments(api: Api, refs: dict[str, str]) -> None:
    made = await ok(
        api,
        api.operator,
        f"""mutation {{
          x: createEnvironment(input: {{name: "Attackers X", emailDomain: "attackers-x.example"}}) {{ id }}
          y: createEnvironment(input: {{name: "Victim {CANARY} Holding", emailDomain: "{Y_DOMAIN}",
                                        billing: PER_LICENCE, seatLimit: 40}}) {{ id }}
          p: createEnvironment(input: {{name: "Partner P", emailDomain: "partner-p.example"}}) {{ id }}
          q: createEnvironment(input: {{name: "Elsewhere {CANARY_Q}", emailDomain: "elsewhere-q.example"}}) {{ id }}
        }}""",
    )
    for side in ("x", "y", "p", "q"):
        refs[f"{side}.env"] = made[side]["id"]


Step = tuple[str, dict[str, Any]]


async def steps(api: Api, token: str | None, calls: list[Step]) -> list[Any]:
    """Call mutations in one request, in order (a mutation's fields run one after the
    other): the world is built in a few round trips. Selects ``id`` where there is one."""
    fields = root_type("mutation").fields
    declared, parts, variables = [], [], {}
    for i, (field_name, row) in enumerate(calls):
        passed = []
        for name, value in row.items():
            declared.append(f"${name}{i}: {fields[field_name].args[name].type}")
            passed.append(f"{name}: ${name}{i}")
            variables[f"{name}{i}"] = value
        returned = get_named_type(fields[field_name].type)
        select = ""
        if isinstance(returned, GraphQLObjectType):
            select = "{ id }" if "id" in returned.fields else "{ __typename }"
        parts.append(f"m{i}: {field_name}({', '.join(passed)}) {select}")
    data = await api.ok(
        f"mutation({', '.join(declared)}) {{ {' '.join(parts)} }}", token, **variables
    )
    return [data[f"m{i}"] for i in range(len(calls))]


async def many(
    api: Api, token: str | None, field_name: str, rows: list[dict[str, Any]]
) -> list[Any]:
    return await steps(api, token, [(field_name, row) for row in rows])


# (side, key, role, name, mailbox); the first user of an environment is its ADMIN.
PEOPLE = (
    ("x", "admin", "ADMIN", "Xander Admin", "admin"),
    ("x", "consultant", "CONSULTANT", "Xena Consultant", "consultant"),
    ("x", "advanced", "ADVANCED_USER", "Xavier Advanced", "advanced"),
    ("x", "user", "USER", "Xia User", "user"),
    ("x", "client", "CLIENT", "Xerxes Client", "client"),
    ("x", "candidate", "CANDIDATE", "Xiomara Candidate", "candidate"),
    ("y", "admin", "ADMIN", f"Yvonne {CANARY} Admin", "yvonne"),
    ("y", "consultant", "CONSULTANT", f"Yusuf {CANARY} Consultant", "yusuf"),
    ("y", "advanced", "ADVANCED_USER", f"Yara {CANARY} Advanced", "yara"),
    ("y", "user", "USER", f"Yorick {CANARY} User", "yorick"),
    ("y", "client", "CLIENT", f"Yasmin {CANARY} Client", "yasmin"),
    ("y", "candidate", "CANDIDATE", f"Yannick {CANARY} Candidate", "yannick"),
    ("y", "leaver", "USER", f"Yves {CANARY} Leaver", "yves"),
    ("y", "emp", "USER", f"Ymke {CANARY} Employee", "ymke"),
    ("y", "pending", "USER", f"Yuri {CANARY} Pending", "yuri"),
    ("p", "admin", "ADMIN", "Pam Partner", "pam"),
    ("p", "b", "ADVANCED_USER", "Bob Partner", "bob"),
    ("p", "user", "USER", "Pia Partner", "pia"),
    ("q", "admin", "ADMIN", f"Quinn {CANARY_Q} Admin", "quinn"),
    # Addresses X: X sees this record (and nothing under it), so its name is plain.
    ("q", "herald", "ADVANCED_USER", "Hera Herald", "hera"),
)
DOMAINS = {
    "x": "attackers-x.example",
    "y": Y_DOMAIN,
    "p": "partner-p.example",
    "q": "elsewhere-q.example",
}
# (organisation, name, [(user, access role)])
ORGANISATIONS = (
    (
        "x.org",
        "X Org",
        [
            ("x.admin", "ADMIN"),
            ("x.consultant", "USER"),
            ("x.advanced", "ADVANCED_USER"),
            ("x.user", "USER"),
            ("x.client", "USER"),
            ("x.candidate", "USER"),
        ],
    ),
    (
        "y.noord",
        f"{CANARY} Noord",
        [
            ("y.admin", "ADMIN"),
            ("y.consultant", "USER"),
            ("y.advanced", "ADVANCED_USER"),
            ("y.user", "USER"),
            ("y.client", "USER"),
            ("y.candidate", "USER"),
            ("y.leaver", "USER"),
            ("y.emp", "USER"),
        ],
    ),
    (
        "y.zuid",
        f"{CANARY} Zuid",
        [("y.admin", "ADMIN"), ("y.advanced", "ADVANCED_USER"), ("y.user", "USER")],
    ),
    ("p.org", "P Org", [("p.admin", "ADMIN"), ("p.b", "ADVANCED_USER"), ("p.user", "USER")]),
    ("q.org", f"{CANARY_Q} Org", [("q.admin", "ADMIN"), ("q.herald", "ADVANCED_USER")]),
)


async def _people(api: Api, refs: dict[str, str]) -> None:
    made = await many(
        api,
        api.operator,
        "createUser",
        [
            {
                "input": {
                    "environmentId": refs[f"{side}.env"],
                    "email": f"{mailbox}@{DOMAINS[side]}",
                    "name": name,
                    "role": role,
                }
            }
            for side, _, role, name, mailbox in PEOPLE
        ],
    )
    for (side, key, _, _, mailbox), user in zip(PEOPLE, made, strict=True):
        refs[f"{side}.{key}"] = user["id"]
        refs[f"{side}.{key}.email"] = f"{mailbox}@{DOMAINS[side]}"
    made = await many(
        api,
        api.operator,
        "createOrganisation",
        [
            {"environmentId": refs[key.split(".")[0] + ".env"], "name": n}
            for key, n, _ in ORGANISATIONS
        ],
    )
    for (key, *_), organisation in zip(ORGANISATIONS, made, strict=True):
        refs[key] = organisation["id"]
    await many(
        api,
        api.operator,
        "grantAccess",
        [
            {"userId": refs[user], "organisationId": refs[key], "role": role}
            for key, _, members in ORGANISATIONS
            for user, role in members
        ],
    )


async def _ties(api: Api, refs: dict[str, str], tokens: dict[str, str]) -> None:
    """X–P by an operator; P–Y by proposal and consent, then an authorization request, two
    invitations of P's users into Y (b accepts: access across tenants), a pending proposal
    from Y to Q and pending requests both ways between P and Y."""
    made = await many(
        api,
        api.operator,
        "createPartnership",
        [{"userId": refs["x.admin"], "partnerUserId": refs["p.admin"]}],
    )
    refs["x.partnership"] = made[0]["id"]
    made = await many(
        api, tokens["y.admin"], "proposePartnership", [{"partnerUserId": refs["p.b"]}]
    )
    refs["y.proposal.accepted"] = made[0]["id"]
    made = await ok(
        api,
        tokens["p.b"],
        "mutation($q: ID!) { acceptPartnershipProposal(proposalId: $q) { partnershipId } }",
        q=refs["y.proposal.accepted"],
    )
    refs["y.partnership"] = made["acceptPartnershipProposal"]["partnershipId"]
    made = await many(
        api, tokens["y.advanced"], "proposePartnership", [{"partnerUserId": refs["q.admin"]}]
    )
    refs["y.proposal.pending"] = made[0]["id"]
    for key, sender, recipient, organisation, software in (
        ("accepted", "p.b", "y.admin", "y.noord", f"{CANARY} Software"),
        ("pending", "p.b", "y.advanced", "y.zuid", f"{CANARY} Pending Software"),
        ("outgoing", "y.advanced", "p.admin", "p.org", f"{CANARY} Outgoing Software"),
    ):
        made = await many(
            api,
            tokens[sender],
            "sendAuthorizationRequest",
            [
                {
                    "recipientId": refs[recipient],
                    "organisationId": refs[organisation],
                    "software": software,
                }
            ],
        )
        refs[f"y.request.{key}"] = made[0]["id"]
    made = await steps(
        api,
        tokens["y.admin"],
        [
            ("acceptAuthorizationRequest", {"requestId": refs["y.request.accepted"]}),
            ("connect", {"userId": refs["y.admin"], "peerId": refs["p.admin"]}),
            ("connect", {"userId": refs["y.user"], "peerId": refs["p.admin"]}),
            ("invite", {"inviteeId": refs["p.b"], "organisationId": refs["y.noord"]}),
            ("invite", {"inviteeId": refs["p.admin"], "organisationId": refs["y.zuid"]}),
            ("setRelationshipManager", {"userId": refs["y.advanced"], "enabled": True}),
        ],
    )
    refs["y.invitation.accepted"], refs["y.invitation.pending"] = made[3]["id"], made[4]["id"]
    await many(
        api, tokens["p.b"], "acceptInvitation", [{"invitationId": refs["y.invitation.accepted"]}]
    )
    # Q's herald asks X's ADVANCED_USER to activate X's organisation (pending): X sees the
    # herald's record and nothing under it (DESIGN §3.0, "introduced").
    made = await many(
        api,
        tokens["q.herald"],
        "sendAuthorizationRequest",
        [
            {
                "recipientId": refs["x.advanced"],
                "organisationId": refs["x.org"],
                "software": HERALD_SOFTWARE,
            }
        ],
    )
    refs["q.request.to_x"] = made[0]["id"]


HERALD_SOFTWARE = "Herald's offer"
# The users who introduced themselves, and to whom: they see that user's record.
INTRODUCERS = frozenset({"q.herald"})
INTRODUCED_TO = frozenset({"X ADVANCED_USER"})


def introductions(refs: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """The ids of Q that X's principals may see: the herald's addressee sees the herald's
    record (its environmentId too) and the request; X's ADMIN reads in X's audit log who
    made it."""
    return {
        "X ADVANCED_USER": frozenset({refs["q.herald"], refs["q.request.to_x"], refs["q.env"]}),
        "X ADMIN": frozenset({refs["q.herald"]}),
    }


async def _relations(api: Api, refs: dict[str, str], tokens: dict[str, str]) -> None:
    """Y as a vendor (its old relation linked to its customer P) and as a contractant (P's
    relation linked to Y); X has a relation of its own to aim with."""
    consultant = tokens["y.consultant"]
    made = await many(
        api,
        consultant,
        "createRelation",
        [
            {"environmentId": refs["y.env"], "name": f"{CANARY} Relation {n}"}
            for n in ("Old", "New")
        ],
    )
    refs["y.rel.old"], refs["y.rel.new"] = (r["id"] for r in made)
    made = await many(
        api,
        consultant,
        "createSubscription",
        [{"relationId": refs["y.rel.old"]}, {"relationId": refs["y.rel.new"], "active": False}],
    )
    refs["y.sub.old"] = made[0]["id"]
    made = await many(
        api,
        consultant,
        "createTask",
        [{"relationId": refs["y.rel.old"], "title": f"{CANARY} task {i}"} for i in range(3)],
    )
    refs["y.task.open"], _, refs["y.task.closed"] = (t["id"] for t in made)
    await ok(
        api,
        consultant,
        "mutation($t: ID!) { closeTask(taskId: $t) { id } }",
        t=refs["y.task.closed"],
    )
    await many(
        api,
        consultant,
        "linkRelation",
        [
            {
                "relationId": refs["y.rel.old"],
                "contractantId": refs["p.env"],
                "database": f"{CANARY}-db",
            }
        ],
    )
    made = await many(
        api,
        api.operator,
        "createRelation",
        [
            {"environmentId": refs[f"{side}.env"], "name": f"{side.upper()} Relation"}
            for side in "px"
        ],
    )
    refs["p.rel"], refs["x.rel"] = (r["id"] for r in made)
    await many(
        api,
        api.operator,
        "createTask",
        [{"relationId": refs[f"{side}.rel"], "title": f"{side.upper()} task"} for side in "px"],
    )
    # A link sits on its relation's active subscription: X's attempts then fail on reach.
    await many(
        api,
        api.operator,
        "createSubscription",
        [{"relationId": refs[f"{side}.rel"]} for side in "px"],
    )
    await many(
        api,
        api.operator,
        "linkRelation",
        [{"relationId": refs["p.rel"], "contractantId": refs["y.env"], "database": "p-db"}],
    )


async def _ownership(api: Api, refs: dict[str, str], tokens: dict[str, str]) -> None:
    """Licences (one assigned, one released), rights held by another user, dossiers, a
    leaver whose mail is forwarded, two nightly runs (one delivered, one pending)."""
    refs["y.licence.assigned"] = f"{CANARY}-1001".upper()
    refs["y.licence.released"] = f"{CANARY}-1002".upper()
    user, emp, noord = refs["y.user"], refs["y.emp"], refs["y.noord"]
    made = await steps(
        api,
        tokens["y.admin"],
        [
            (
                "assignLicence",
                {"number": refs["y.licence.assigned"], "userId": user, "workCompanyId": noord},
            ),
            (
                "assignLicence",
                {"number": refs["y.licence.released"], "userId": emp, "workCompanyId": noord},
            ),
            # Ymke's rights go to Yara, so that her licence can be released
            ("transferOwnership", {"from": emp, "to": refs["y.advanced"]}),
            ("releaseLicence", {"userId": emp}),
            (
                "transferOwnership",
                {"from": user, "to": refs["y.advanced"], "workCompanyIds": [refs["y.zuid"]]},
            ),
            ("createDossier", {"name": f"{CANARY} Dossier Jansen", "responsibleId": user}),
            (
                "createDossier",
                {
                    "name": f"{CANARY} Vacature",
                    "responsibleId": refs["y.leaver"],
                    "kind": "VACANCY",
                },
            ),
            ("setReportsTo", {"userId": refs["y.leaver"], "reportsToId": refs["y.admin"]}),
            ("deactivateUser", {"userId": refs["y.leaver"]}),
        ],
    )
    refs["y.dossier"] = made[5]["id"]
    saved = await steps(
        api,
        tokens["y.admin"],
        [("saveFilter", {"input": {"name": f"{CANARY} vacatures", "nameContains": CANARY}})],
    )
    refs["y.filter"] = saved[0]["id"]
    await steps(
        api,
        api.operator,
        [
            (
                "assignLicence",
                {"number": "X-LIC-1", "userId": refs["x.user"], "workCompanyId": refs["x.org"]},
            ),
            ("createDossier", {"name": "X Dossier", "responsibleId": refs["x.user"]}),
            (
                "runNightlyProcessing",
                {"environmentId": refs["y.env"], "process": f"{CANARY} Verloning"},
            ),
            ("deliverProcessMessages", {"environmentId": refs["y.env"]}),
            (
                "runNightlyProcessing",
                {"environmentId": refs["y.env"], "process": f"{CANARY} Reservering"},
            ),
        ],
    )


async def _public(api: Api, refs: dict[str, str], tokens: dict[str, str]) -> None:
    """Maintenance windows, a job application, a pending sign-up, an activation token."""
    now = api.engine.clock.now()
    refs["time.tomorrow"] = (now + timedelta(days=1)).isoformat()
    made = await steps(
        api,
        tokens["y.admin"],
        [
            (
                "scheduleMaintenance",
                {
                    "environmentId": refs["y.env"],
                    "startsAt": (now + timedelta(days=30)).isoformat(),
                },
            ),
            ("createActivationToken", {"userId": refs["y.pending"]}),
        ],
    )
    refs["y.window"] = made[0]["id"]
    # X's own window starts within 24 hours: X's users have a warning to acknowledge.
    await many(
        api,
        tokens["x.admin"],
        "scheduleMaintenance",
        [{"environmentId": refs["x.env"], "startsAt": (now + timedelta(hours=2)).isoformat()}],
    )
    await steps(
        api,
        None,
        [
            (
                "submitApplication",
                {
                    "environmentId": refs["y.env"],
                    "name": f"{CANARY} Applicant",
                    "email": f"applicant@{Y_DOMAIN}",
                },
            ),
            (
                "signUp",
                {"email": f"newbie@{Y_DOMAIN}", "name": f"{CANARY} Newbie", "password": PASSWORD},
            ),
        ],
    )
    found = await ok(
        api,
        tokens["y.admin"],
        "query($e: ID!) { signUps(environmentId: $e) { nodes { id } } }",
        e=refs["y.env"],
    )
    refs["y.signup"] = found["signUps"]["nodes"][0]["id"]


async def _keys(api: Api, refs: dict[str, str], tokens: dict[str, str]) -> None:
    """An INTEGRATION and a BACKOFFICE key bound to X, and two bound to Y."""
    for side in ("x", "y"):
        for kind in (PrincipalKind.INTEGRATION, PrincipalKind.BACKOFFICE):
            name = f"{CANARY} {kind}" if side == "y" else f"x {kind}"
            key_id, key = await api.engine.identity.issue_api_key(kind, name, refs[f"{side}.env"])
            refs[f"{side}.key.{kind}"] = key_id
            tokens[f"{side}.{kind}"] = key


# X's users, in the order of ROLES.
X_KEYS = ("admin", "consultant", "advanced", "user", "client", "candidate")
SESSION_HOLDERS = (
    *(f"x.{key}" for key in X_KEYS),
    "y.admin",
    "y.consultant",
    "y.advanced",
    "p.admin",
    "p.b",
    "q.herald",
)


async def sessions(api: Api, refs: Mapping[str, str]) -> dict[str, str]:
    """A fresh session for every user the matrix acts as (or builds with)."""
    return {key: await open_session(api, refs[key]) for key in SESSION_HOLDERS}


def principals(
    refs: Mapping[str, str], tokens: Mapping[str, str], operator: str
) -> dict[str, Principal]:
    """Outsiders (no business in Y): anonymous, X's users in every role and X's keys.
    Insiders: Y's ADMIN and keys, the operator, and b (P's user with access in Y)."""
    keys = ("INTEGRATION", "BACKOFFICE")
    found = [
        Principal("anonymous", None, None, outsider=True),
        *(
            Principal(f"X {role}", tokens[f"x.{key}"], refs[f"x.{key}"], outsider=True)
            for key, role in zip(X_KEYS, ROLES, strict=True)
        ),
        *(Principal(f"X {kind} key", tokens[f"x.{kind}"], None, outsider=True) for kind in keys),
        Principal("Y ADMIN", tokens["y.admin"], refs["y.admin"], outsider=False),
        *(Principal(f"Y {kind} key", tokens[f"y.{kind}"], None, outsider=False) for kind in keys),
        Principal("OPERATOR", operator, None, outsider=False),
        Principal("P user b", tokens["p.b"], refs["p.b"], outsider=False),
    ]
    return {p.name: p for p in found}


async def build_world(api: Api) -> World:
    refs: dict[str, str] = {}
    await _environments(api, refs)
    await _people(api, refs)
    tokens = await sessions(api, refs)
    await _ties(api, refs, tokens)
    await _relations(api, refs, tokens)
    await _ownership(api, refs, tokens)
    await _public(api, refs, tokens)
    await _keys(api, refs, tokens)
    # Transfers end sessions of those who lose rights: start the matrix with fresh ones.
    tokens.update(await sessions(api, refs))
    # One more session of Y's ADMIN, by id, for the outsiders to try to end.
    refs["y.admin.session"] = ids.new_id("Session")
    await open_session(api, refs["y.admin"], refs["y.admin.session"])
    return World(
        refs=refs,
        principals=principals(refs, tokens, api.operator),
        introduced=introductions(refs),
    )
