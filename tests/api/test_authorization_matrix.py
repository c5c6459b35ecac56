"""The authorization matrix: every root field, as every outsider, aimed at a victim tenant.

The world (``matrix_cases.build_world``) holds three customer environments: X, the
attackers' home; Y, the victim, whose every text carries the canary ``canary-y``; and
P, a partner of both, so that X reaches P and P reaches Y — and X must never reach Y
through P. P's user b was invited into an organisation of Y and accepted: b has access
across tenants. A fourth environment, Q (canary ``canary-q``), is out of X's reach too;
Y has a pending proposal to Q, and Q's herald sent X's ADVANCED_USER a request, so X's
ADVANCED_USER and ADMIN see the herald's record — and nothing under it.

*Outsiders* have no business in Y: anonymous callers, X's users in every role (ADMIN,
CONSULTANT, ADVANCED_USER, USER, CLIENT, CANDIDATE) and X's INTEGRATION and BACKOFFICE
keys. *Insiders*: Y's ADMIN and keys, the operator, and b.

Every root field of ``Query`` and ``Mutation`` has one or more argument sets in
``matrix_cases.CASES``, aimed at Y's objects or at P's objects tied to Y; each answer
selects every field of the return type, recursively (``matrix_cases.selection``). The
outsiders call every mutation case (side by side, each in order, ``logout`` last), then
every query case, so the queries also see what their mutations left (their requests to
Y's users, say); the insiders call every query case. What is asserted:

1. **Nothing of Y in any answer to an outsider.** The whole JSON body (data and errors)
   must not contain a *secret*, case-insensitively: a canary, or the id of a node of
   Y's or Q's territory (see 3.; a home-less node also hanging on another environment,
   such as an audit event listed in X and Q, is not secret). A secret inside a string
   the caller typed is no leak: a variable of this call (an e-mail address also counts
   as its mailbox and its domain), an id the same caller typed in an earlier call (an
   error may echo ``usr_…``; a request the caller sent lists its recipient's id), or
   what Q's herald made known (``matrix_cases.introductions``). Search terms are strict parts of
   the canary (``anary``), so a hit's canary text is never excused.
2. **No 5xx, no ``Traceback``, no ``INTERNAL`` error**, for any principal; no error
   below the root field (a nested reference outside the reach is null, or left out of
   a list: it does not fail); no request refused unread (``QUERY_TOO_COMPLEX``: the
   generated documents fit the request bounds), and no principal loses its session on
   the way (the matrix would go blind).
3. **Nothing about Y changes** when an outsider calls a mutation. *Y's territory* is
   fixed once the world is built: every node whose home environments
   (``GraphStore.locate``) include Y — Y itself, its users, organisations, relations,
   tasks, subscriptions, dossiers, licences, process messages, maintenance windows,
   applications, the P–Y partnership and every request, invitation and proposal with a
   party in Y — plus the home-less nodes hanging on them (Y's users' sessions, the keys
   bound to Y, the sign-up pending for Y, audit events listed in Y). *A change in Y* is
   a node of the territory whose label or properties differ or which is gone, or a
   relationship with an end in the territory that appears, disappears or changes its
   properties. The exceptions: relationships to a node the outsider newly made to *ask*
   Y for something (:data:`ASKS`: ``AuthorizationRequest``, ``PartnershipProposal``,
   ``Invitation``, ``OutboxMail``, the public forms' ``Application`` and ``SignUp``, and
   the ``AuditEvent`` recording the asking), and the properties of a password-reset
   request kept on a user (:data:`ASK_PROPERTIES`): asking is allowed, answering is
   Y's. Y is compared after all outsiders' mutations; if it changed, the graph from
   before them is imported again and the calls are replayed one at a time, with a
   comparison after each, to name those that changed Y (each change undone before the
   next call).
4. **Y's values answer like unknown ones.** Every outsider call naming something of Y
   or Q is sent a second time (its *twin*) with each such value (id, address, licence
   number) replaced by an unknown one of the same kind — per field, the same one all
   run long, so a login throttle counts twins as it counts the calls. Both answers must
   be the same: both succeed, or both fail with the same errors once the values are
   swapped back (DESIGN §3.0: outside the reach is the NOT_FOUND of an id that does not
   exist). Not compared: the asks that may name anyone by design
   (:data:`ANSWERS_BY_DESIGN`), a throttled answer, and anonymous calls of fields that
   need a token.
5. **The matrix can see**: Y's ADMIN and the operator find secrets in the answers of a
   good number of query fields, the change detector names an insider's change among
   harmless calls, and X's users do reach P (so the X–P–Y path is really tried).

``test_every_field_of_the_schema_is_in_the_matrix`` keeps the table complete: each root
field needs a case, and each field of every object type an answer can hold must be
selected by some case, so a new field cannot ship unexamined.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from apiclient import Api
from graphql import parse, validate
from matrix_cases import (
    CANARY,
    CANARY_Q,
    CASES,
    INTRODUCED_TO,
    INTRODUCERS,
    MUTATION_CASES,
    QUERY_CASES,
    Case,
    Principal,
    Ref,
    World,
    build_world,
    document,
    graphql_schema,
    missing_required,
    reachable_coordinates,
    refs_in,
    resolve,
    root_fields,
    sessions,
)
from strawberry.relay import GlobalID

from graph_engine.model import GraphData

# Nodes an outsider may make to ask Y for something, and the audit trail's record of the
# asking (listed in Y for Y's ADMINs); see the module docstring, 3.
ASKS = frozenset(
    {
        "AuthorizationRequest",
        "PartnershipProposal",
        "Invitation",
        "OutboxMail",
        "Application",
        "SignUp",
        "AuditEvent",
    }
)
# Public fields: their refusals are UNAUTHENTICATED by design, not a lost session.
PUBLIC = frozenset(
    {
        "login",
        "signUp",
        "verifySignUp",
        "activateAccount",
        "submitApplication",
        "requestPasswordReset",
        "resetPassword",
    }
)
# Fields that check the caller's password: a wrong one is UNAUTHENTICATED by design.
CREDENTIAL_CHECKS = frozenset({"changePassword"})
# Calls a login throttle counts: they go one at a time, each with its twin (see 4.).
THROTTLED = PUBLIC | CREDENTIAL_CHECKS
# Properties where an ask is kept on Y's own node: anyone may request a password reset
# for any address (the token goes to its owner), replacing an earlier request.
ASK_PROPERTIES = {"User": frozenset({"resetTokenHash", "resetIssuedAt"})}
# A principal's own token refused: every later cell of theirs would say nothing.
LOST_SESSION = frozenset({"UNAUTHENTICATED", "SESSION_INVALIDATED"})
# Refusals before anything runs: the cell would be blind.
UNREAD = frozenset({"QUERY_TOO_COMPLEX", "REQUEST_TOO_LARGE"})
# Asks that may name anyone by design: a request or proposal to a real user (DESIGN
# §3.1) and a job application through an environment's public form (§3.5) are made, to
# an unknown one they are NOT_FOUND; what comes back repeats the typed ids and nothing
# else of the recipient (checked by 1.).
ANSWERS_BY_DESIGN = frozenset(
    {"sendAuthorizationRequest", "proposePartnership", "submitApplication"}
)
# Licence numbers are per environment: an outsider who types Y's number makes a licence
# of that number in their own environment (and may then cancel it); the twin that follows
# meets that licence, not anything of Y's. Leaks and changes are still checked (1., 3.).
OWN_NUMBERS = frozenset({"assignLicence", "requestLicenceCancellation"})
# Measured on both stores: Y's ADMIN finds Y in 26 query fields, the operator in 21 (29
# and 23 with the session, key and audit-log fields). The minimums leave room for a
# field refused by design, not for a blind matrix.
MIN_FIELDS_SHOWING_Y = {"Y ADMIN": 22, "OPERATOR": 18}
# Relationships read per fingerprint: far more than Y's territory has.
EXPAND_LIMIT = 100_000


# -- Y's territory and its fingerprint ----------------------------------------------------


@dataclass(frozen=True)
class Territory:
    """An environment's nodes: ``members`` are fingerprinted, ``secrets`` are the ids no
    outsider may see (those shared with another environment's home-less nodes, such as
    an audit event listed in two environments, are not secret)."""

    environment: str
    members: frozenset[str]
    secrets: frozenset[str]


async def territory(api: Api, environment: str) -> Territory:
    """Nodes homed in ``environment``, plus the home-less nodes hanging on them."""
    graph = await api.engine.store.export_graph()
    located = await api.engine.store.locate(ids=[n.id for n in graph.nodes])
    homes = {loc.id: set(loc.homes) for loc in located if loc.homes}
    homed = {node_id for node_id, envs in homes.items() if environment in envs}
    # home-less node -> the environments of the homed nodes it hangs on
    hangs: dict[str, set[str]] = defaultdict(set)
    for r in graph.relationships:
        for end, other in ((r.start, r.end), (r.end, r.start)):
            if end in homes and other not in homes:
                hangs[other] |= homes[end]
    hanging = {node_id for node_id, envs in hangs.items() if environment in envs}
    alone = {node_id for node_id in hanging if hangs[node_id] == {environment}}
    return Territory(environment, frozenset(homed | hanging), frozenset(homed | alone))


def _props(
    props: Mapping[str, Any], skip: frozenset[str] = frozenset()
) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in props.items() if k not in skip))


NodeKey = tuple[str, str, tuple[tuple[str, str], ...]]
RelKey = tuple[str, str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Fingerprint:
    nodes: frozenset[NodeKey]
    relationships: frozenset[RelKey]

    def changes(self, after: Fingerprint) -> list[str]:
        """What differs, one short line each (for the report)."""
        old = {n[0]: (n[1], dict(n[2])) for n in self.nodes}
        new = {n[0]: (n[1], dict(n[2])) for n in after.nodes}
        lines = [f"{old[i][0]} {i} is gone" for i in old.keys() - new.keys()]
        for node_id in old.keys() & new.keys():
            (label, was), (_, now) = old[node_id], new[node_id]
            lines += [
                f"{label} {node_id}.{key}: {was.get(key)} -> {now.get(key)}"
                for key in sorted(was.keys() | now.keys())
                if was.get(key) != now.get(key)
            ]
        lines += [
            f"-({r[1]})-[:{r[0]}]->({r[2]})" for r in self.relationships - after.relationships
        ]
        lines += [
            f"+({r[1]})-[:{r[0]}]->({r[2]})" for r in after.relationships - self.relationships
        ]
        return sorted(lines)


async def fingerprint(api: Api, land: Territory) -> Fingerprint:
    """Y's territory as it is now: its nodes and every relationship touching them."""

    graph = await api.engine.store.expand(ids=sorted(land.members), limit=EXPAND_LIMIT)
    labels = {n.id: n.label for n in graph.nodes}

    def new_ask(node_id: str) -> bool:
        return labels.get(node_id) in ASKS and node_id not in land.members

    return Fingerprint(
        nodes=frozenset(
            (n.id, n.label, _props(n.props, ASK_PROPERTIES.get(n.label, frozenset())))
            for n in graph.nodes
            if n.id in land.members
        ),
        relationships=frozenset(
            (r.type, r.start, r.end, _props(r.props))
            for r in graph.relationships
            if not (new_ask(r.start) or new_ask(r.end))
        ),
    )


# -- secrets in answers ---------------------------------------------------------------------


def strings_in(value: Any) -> Iterable[str]:
    """The strings a caller typed; an address also as its mailbox and its domain, which an
    answer may repeat on their own, and a global id also as the plain id it names."""
    if isinstance(value, str):
        yield value
        if "@" in value:
            yield from value.rsplit("@", 1)
        with contextlib.suppress(ValueError):
            yield GlobalID.from_id(value).node_id
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_in(v)


def uncovered(text: str, hidden: Iterable[str], typed: Iterable[str]) -> list[str]:
    """Each hidden string found in ``text`` outside every occurrence of a typed string,
    with some context."""
    low = text.lower()
    spans: list[tuple[int, int]] = []
    for t in {t.lower() for t in typed if t}:
        at = low.find(t)
        while at != -1:
            spans.append((at, at + len(t)))
            at = low.find(t, at + 1)
    found = []
    for secret in hidden:
        at = low.find(secret)
        while at != -1:
            end = at + len(secret)
            if not any(a <= at and end <= b for a, b in spans):
                found.append(text[max(0, at - 60) : end + 60])
                break
            at = low.find(secret, at + 1)
    return found


# -- unknown values standing in for Y's -----------------------------------------------------


def ghost_of(value: str) -> str:
    """An unknown value shaped like one of Y's: an id, an address or a licence number."""
    token = secrets.token_hex(8)
    if "@" in value:
        return f"ghost{token}@{value.rsplit('@', 1)[1]}"
    if "_" in value:
        return f"{value.split('_', 1)[0]}_{token}"
    return f"{CANARY}-{token}".upper()


def ghost_refs(
    case: Case,
    refs: Mapping[str, str],
    ghosts: dict[tuple[str, str], str],
    introduced: frozenset[str] = frozenset(),
) -> dict[str, str] | None:
    """The world's values with Y's that ``case`` names replaced by unknown ones, but for
    the ``introduced`` names (None when nothing is left to replace). Each field has its own, kept in
    ``ghosts`` for the whole run: a login throttle then counts the twins as it counts the
    real calls, and what one field's twin made (a licence numbered like a ghost) is never
    another field's ghost."""
    of_y = {
        r.name
        for v in case.args.values()
        for r in refs_in(v)
        if r.name.startswith(("y.", "q.")) and r.name not in introduced
    }
    if not of_y:
        return None
    for name in of_y:
        ghosts.setdefault((case.field, name), ghost_of(refs[name]))
    return {**refs, **{name: ghosts[(case.field, name)] for name in of_y}}


def throttled(body: Mapping[str, Any]) -> bool:
    """A refusal to try again later (a login throttle's)."""
    return any("retryAfter" in (e.get("extensions") or {}) for e in body.get("errors") or [])


def outcome(body: Mapping[str, Any], swap: Mapping[str, str]) -> Any:
    """What an answer says, for comparing: success, or its errors (without their place in
    the document), with the values of ``swap`` replaced."""
    errors = body.get("errors")
    if not errors:
        return "success"
    said = [{k: v for k, v in e.items() if k not in {"locations", "path"}} for e in errors]
    text = json.dumps(said, sort_keys=True)
    for old, new in swap.items():
        text = text.replace(old, new)
    return json.loads(text)


# -- the run ----------------------------------------------------------------------------


@dataclass
class Figures:
    """The matrix's size, computed by the run (shown with the findings, if any)."""

    root_fields: int = 0
    cases: int = 0
    outsiders: int = 0
    insiders: int = 0
    # (principal, case) pairs: outsiders call every case, insiders every query case
    cells: int = 0
    # the cells, their unknown-value twins, and the calls of replays
    http_calls: int = 0
    restores: int = 0


@dataclass
class Matrix:
    api: Api
    world: World
    land: Territory
    findings: list[str] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)
    # Ids of Y each principal typed so far: repeating them back is no leak.
    typed_before: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # Per insider: the query fields whose answers showed a secret (the positive control).
    showing_y: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    answers: dict[tuple[str, str], Any] = field(default_factory=dict)
    # (field, name of one of Y's values): the unknown value standing in for it in twins.
    ghosts: dict[tuple[str, str], str] = field(default_factory=dict)
    # Calls a login throttle counts (and their twins) go one at a time.
    throttled: asyncio.Lock = field(default_factory=asyncio.Lock)

    # The canaries and the ids no outsider may see (of Y and of Q).
    hidden: tuple[str, ...] = ()

    def report(self, principal: Principal, case: Case, problem: str) -> None:
        self.findings.append(f"{principal.name} | {case.label} | {problem}")

    async def post(
        self, principal: Principal, case: Case, refs: Mapping[str, str]
    ) -> tuple[dict[str, Any], Any] | None:
        """Send ``case`` as ``principal``; the body and the variables, or None (reported)."""
        doc = document(case.field, tuple(case.args))
        # SELF: the caller, or for anonymous callers and keys X's ADMIN (their own side)
        self_id = principal.user_id or refs["x.admin"]
        variables = resolve(dict(case.args), refs, self_id)
        headers = {"Authorization": f"Bearer {principal.token}"} if principal.token else {}
        response = await self.api.http.post(
            "/graphql", json={"query": doc.text, "variables": variables}, headers=headers
        )
        self.figures.http_calls += 1
        if response.status_code >= 500:
            self.report(principal, case, f"HTTP {response.status_code}: {response.text[:300]}")
        if "Traceback" in response.text:
            self.report(principal, case, "a Traceback in the answer")
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            self.report(principal, case, f"not JSON: {response.text[:300]}")
            return None
        codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors") or []}
        if "INTERNAL" in codes:
            self.report(principal, case, f"INTERNAL error: {body['errors']}")
        nested = [e for e in body.get("errors") or [] if len(e.get("path") or ()) > 1]
        if nested:
            self.report(principal, case, f"a nested field failed instead of null: {nested[0]}")
        if codes & UNREAD:
            self.report(principal, case, f"the request was not even read: {body['errors']}")
        if principal.token and case.field not in THROTTLED and codes & LOST_SESSION:
            self.report(principal, case, f"the principal lost its session: {body['errors']}")
        return body, variables

    async def call(self, principal: Principal, case: Case) -> None:
        """One cell: the call, the secrets check, and for outsiders the unknown-value twin."""
        self.figures.cells += 1
        if case.field in THROTTLED:
            async with self.throttled:
                await self.cell(principal, case)
        else:
            await self.cell(principal, case)

    async def cell(self, principal: Principal, case: Case) -> None:
        sent = await self.post(principal, case, self.world.refs)
        if sent is None:
            return
        body, variables = sent
        self.answers[(principal.name, case.label)] = body
        text = json.dumps(body, ensure_ascii=False)
        typed = set(strings_in(variables))
        if not principal.outsider:
            if uncovered(text, self.hidden, typed):
                self.showing_y[principal.name].add(case.field)
            return
        known = typed | self.typed_before[principal.name]
        known |= self.world.introduced.get(principal.name, frozenset())
        for context in uncovered(text, self.hidden, known):
            self.report(principal, case, f"leaks {context!r}")
        self.typed_before[principal.name] |= typed & set(self.hidden)
        await self.twin(principal, case, body)

    async def twin(self, principal: Principal, case: Case, body: Mapping[str, Any]) -> None:
        """Assertion 4: the same call with unknown values for Y's must answer the same."""
        # A user who introduced themself to the caller is theirs to see: no twin.
        introduced = INTRODUCERS if principal.name in INTRODUCED_TO else frozenset()
        ghosts = ghost_refs(case, self.world.refs, self.ghosts, introduced)
        if ghosts is None or case.field in ANSWERS_BY_DESIGN | OWN_NUMBERS:
            return
        if principal.token is None and case.field not in PUBLIC:
            return  # refused for want of a token, before any value is looked at
        sent = await self.post(principal, case, ghosts)
        if sent is None:
            return
        if throttled(body) or throttled(sent[0]):
            return  # "try again later" says nothing about the values
        swap = {ghosts[k]: v for k, v in self.world.refs.items() if ghosts[k] != v}
        real, unknown = outcome(body, {}), outcome(sent[0], swap)
        if real != unknown:
            self.report(
                principal,
                case,
                f"tells Y's values from unknown ones: {json.dumps(real)[:400]}"
                f" <> unknown: {json.dumps(unknown)[:400]}",
            )

    async def snapshot(self) -> GraphData:
        return await self.api.engine.store.export_graph()

    async def restore(self, graph: GraphData) -> None:
        self.figures.restores += 1
        await self.api.engine.store.clear()
        await self.api.engine.store.import_graph(graph)

    async def mutations(
        self, principals: Sequence[Principal], cases: Sequence[Case] = MUTATION_CASES
    ) -> None:
        """Every principal calls every mutation case (the principals side by side, each
        one's calls in order); then Y must be as it was. If not, the graph is put back and
        the calls are made again one at a time, with a check after each, to name those
        that changed Y (each change undone before the next call). The check after all
        calls misses only successful calls that cancel each other out exactly: the table
        aims inverse mutations at different objects (blockLogin at Y's ADMIN, unblockLogin
        at the leaver ...)."""
        start = await self.snapshot()
        base = await fingerprint(self.api, self.land)
        ordered = sorted(cases, key=lambda c: c.last)

        async def run(principal: Principal) -> None:
            for case in ordered:
                await self.call(principal, case)

        await asyncio.gather(*(run(p) for p in principals))
        if await fingerprint(self.api, self.land) == base:
            return
        await self.restore(start)
        for principal in principals:
            for case in ordered:
                await self.post(principal, case, self.world.refs)
                now = await fingerprint(self.api, self.land)
                if now != base:
                    changes = base.changes(now)
                    shown = "; ".join(changes[:6]) + (" ..." if len(changes) > 6 else "")
                    self.report(principal, case, f"changes Y: {shown}")
                    await self.restore(start)

    async def queries(self, principal: Principal) -> None:
        for case in QUERY_CASES:
            await self.call(principal, case)


async def with_fresh_sessions(api: Api, world: World) -> World:
    """New sessions for every user principal (``logout`` ended theirs)."""
    tokens = await sessions(api, world.refs)
    by_user = {world.refs[k]: t for k, t in tokens.items()}
    return replace(
        world,
        principals={
            name: replace(p, token=by_user[p.user_id]) if p.user_id in by_user else p
            for name, p in world.principals.items()
        },
    )


async def detector_names_a_change(matrix: Matrix) -> None:
    """Positive control of assertion 3: a change in Y among harmless calls (Y's ADMIN
    renaming a user of Y) is named, and undone."""
    admin = matrix.world.principals["Y ADMIN"]
    rename = Case("renameUser", {"userId": Ref("y.user"), "username": "yorick_control"})
    before = await fingerprint(matrix.api, matrix.land)
    await matrix.mutations([admin], [Case("acknowledgeMaintenanceWarning"), rename])
    assert [f.split(" | ")[:2] for f in matrix.findings] == [["Y ADMIN", rename.label]]
    assert "yorick_control" in matrix.findings[0]
    assert await fingerprint(matrix.api, matrix.land) == before
    matrix.findings.clear()
    matrix.showing_y.clear()
    matrix.answers.clear()
    matrix.figures = Figures()


def find_case(field_name: str, **refs: str) -> Case:
    return next(
        c
        for c in QUERY_CASES
        if c.field == field_name
        and all(isinstance(c.args.get(k), Ref) and c.args[k].name == v for k, v in refs.items())
    )


def answered(matrix: Matrix, principal: str, case: Case) -> Any:
    body = matrix.answers[(principal, case.label)]
    assert not body.get("errors"), (principal, case.label, body)
    return body["data"]


def the_matrix_can_see(matrix: Matrix) -> None:
    """Assertion 5: insiders find Y where they should, and X's users really reach P."""
    world = matrix.world
    env_y = answered(matrix, "Y ADMIN", find_case("environment", id="y.env"))
    assert CANARY in json.dumps(env_y).lower()
    env_p = answered(matrix, "X ADMIN", find_case("environment", id="p.env"))
    assert env_p["environment"]["id"] == world.refs["p.env"]
    user_b = answered(matrix, "X USER", find_case("user", id="p.b"))
    assert user_b["user"]["id"] == world.refs["p.b"]
    for insider, minimum in MIN_FIELDS_SHOWING_Y.items():
        shown = matrix.showing_y[insider]
        assert len(shown) >= minimum, (insider, sorted(shown))


async def test_outsiders_neither_see_nor_change_anything_of_y_through_any_field(api: Api) -> None:
    world = await build_world(api)
    land = await territory(api, world.refs["y.env"])
    elsewhere = await territory(api, world.refs["q.env"])
    secrets = sorted(land.secrets | elsewhere.secrets)
    matrix = Matrix(api, world, land, hidden=(CANARY, CANARY_Q, *secrets))
    await detector_names_a_change(matrix)
    outsiders = [p for p in world.principals.values() if p.outsider]
    await matrix.mutations(outsiders)
    matrix.world = await with_fresh_sessions(api, world)
    # Queries change nothing: the principals ask side by side.
    await asyncio.gather(*(matrix.queries(p) for p in matrix.world.principals.values()))

    the_matrix_can_see(matrix)

    figures = matrix.figures
    figures.root_fields = len(root_fields())
    figures.cases = len(CASES)
    figures.outsiders = len(outsiders)
    figures.insiders = len(world.principals) - len(outsiders)
    assert figures.cells == figures.outsiders * len(CASES) + figures.insiders * len(QUERY_CASES)

    # 1.-4., every cell: nothing of Y shown, no crash, nothing of Y changed, no oracle
    findings = sorted(set(matrix.findings))
    summary = f"{len(findings)} finding(s) of the authorization matrix ({figures})"
    assert not findings, summary + ":\n" + "\n".join(findings)


def test_every_field_of_the_schema_is_in_the_matrix() -> None:
    # (Cases of fields the schema lacks are dropped by matrix_cases.)
    missing = set(root_fields()) - {c.field for c in CASES}
    assert not missing, f"root fields without a case: {sorted(missing)}"
    selected: set[tuple[str, str]] = set()
    for case in CASES:
        assert not missing_required(case.field, set(case.args)), case.label
        doc = document(case.field, tuple(case.args))
        assert not validate(graphql_schema(), parse(doc.text)), doc.text
        selected |= doc.selected
    never = reachable_coordinates() - selected
    assert not never, f"fields no case selects: {sorted(never)}"
