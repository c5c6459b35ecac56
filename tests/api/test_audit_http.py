"""Every successful mutation leaves one audit event, written with it; never a secret."""

from __future__ import annotations

from typing import Any

from apiclient import Api

from graph_engine.model import AuditEvent

PASSWORD = "correct horse battery"
LOG = """query($e: ID!) { auditLog(environmentId: $e, first: 100) {
  nodes { action actorId principal requestId ids environmentIds } } }"""


async def events(api: Api) -> list[AuditEvent]:
    data = await api.engine.store.export_graph()
    found = [n for n in data.nodes if n.label == "AuditEvent"]
    return sorted(
        (
            AuditEvent(
                id=n.id,
                action=n.props["action"],
                actor=n.props.get("actor"),
                principal=n.props["principal"],
                at=n.props["at"],
                request_id=n.props["requestId"],
                ids=tuple(n.props.get("ids") or ()),
                environment_ids=(),
            )
            for n in found
        ),
        key=lambda e: e.id,
    )


async def post(api: Api, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    headers["x-request-id"] = f"req-{len(variables)}-{abs(hash(query)) % 10_000}"
    response = await api.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.headers["x-request-id"] == headers["x-request-id"]
    return response.headers["x-request-id"], response.json()


async def two_tenants(api: Api) -> tuple[str, str, dict[str, str]]:
    """Environments X and Y with a user each (ann@x.example, yves@y.example): their ids,
    and the users' ids by address."""
    made = await api.ok(
        """mutation { x: createEnvironment(input: {name: "X", emailDomain: "x.example"}) { id }
                      y: createEnvironment(input: {name: "Y", emailDomain: "y.example"}) { id } }""",
        api.operator,
    )
    x, y = made["x"]["id"], made["y"]["id"]
    people = {}
    for env, email in ((x, "ann@x.example"), (y, "yves@y.example")):
        user = await api.ok(
            """mutation($e: ID!, $m: String!, $pw: String!) { createUser(input: {
                 environmentId: $e, email: $m, name: $m, password: $pw}) { id } }""",
            api.operator,
            e=env,
            m=email,
            pw=PASSWORD,
        )
        people[email] = user["createUser"]["id"]
    return x, y, people


async def test_a_mutation_leaves_one_event_with_who_what_and_the_request(api: Api) -> None:
    before = len(await events(api))
    request, body = await post(
        api,
        'mutation { createEnvironment(input: {name: "Audited", emailDomain: "audited.example"}) { id } }',
        api.operator,
    )
    env = body["data"]["createEnvironment"]["id"]
    request2, body = await post(
        api,
        """mutation($e: ID!, $pw: String!) { createUser(input: {environmentId: $e,
             email: "ada@audited.example", name: "Ada", password: $pw}) { id } }""",
        api.operator,
        e=env,
        pw=PASSWORD,
    )
    ada = body["data"]["createUser"]["id"]
    found = (await events(api))[before:]
    assert [(e.action, e.request_id, e.principal) for e in found] == [
        ("createEnvironment", request, "OPERATOR"),
        ("createUser", request2, "OPERATOR"),
    ]
    assert env in found[0].ids
    assert set(found[1].ids) >= {env, ada}
    # The environment's ADMIN reads its log; a login is in it too.
    _, login = await post(
        api,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        e="ada@audited.example",
        p=PASSWORD,
    )
    token = login["data"]["login"]["token"]
    log = (await api.ok(LOG, token, e=env))["auditLog"]["nodes"]
    assert [e["action"] for e in log] == ["createEnvironment", "createUser", "login"]
    assert log[2]["principal"] == "ANONYMOUS"
    assert ada in log[2]["ids"]
    # The operator's key is the platform's: its kind shows, its id does not (operators
    # reading the same log see it).
    assert [(e["principal"], e["actorId"]) for e in log[:2]] == [("OPERATOR", None)] * 2
    assert found[0].actor is not None
    as_operator = (await api.ok(LOG, api.operator, e=env))["auditLog"]["nodes"]
    assert as_operator[0]["actorId"] == found[0].actor
    _, renamed = await post(
        api,
        'mutation($u: ID!) { renameUser(userId: $u, username: "ada.l") { id } }',
        token,
        u=ada,
    )
    assert "errors" not in renamed, renamed
    own = (await api.ok(LOG, token, e=env))["auditLog"]["nodes"][-1]
    assert (own["action"], own["principal"], own["actorId"]) == ("renameUser", "USER", ada)
    # Never a secret: no password, token or hash anywhere in the trail.
    text = str(await api.engine.store.export_graph())
    trail = [str(e) for e in await events(api)]
    for secret in (PASSWORD, token):
        assert secret not in "".join(trail)
    assert "Hash" not in "".join(trail)
    assert token not in text


async def test_a_refused_mutation_leaves_no_event(api: Api) -> None:
    before = await events(api)
    refused = await api.fails(
        'mutation { createOrganisation(environmentId: "env_nope", name: "X") { id } }',
        api.operator,
    )
    assert refused.code == "NOT_FOUND"
    await api.ok(
        'mutation { createEnvironment(input: {name: "A", emailDomain: "a.example"}) { id } }',
        api.operator,
    )
    duplicate = await api.fails(
        'mutation { createEnvironment(input: {name: "A", emailDomain: "a.example"}) { id } }',
        api.operator,
    )
    assert duplicate.code == "CONSTRAINT_VIOLATION"  # refused inside the write statement
    assert [e.action for e in (await events(api))[len(before) :]] == ["createEnvironment"]


async def test_a_mutation_that_writes_nothing_still_leaves_its_event(api: Api) -> None:
    before = len(await events(api))
    await api.ok("mutation { logout }", api.operator)  # a key has no session to end
    assert [e.action for e in (await events(api))[before:]] == ["logout"]


async def test_ids_of_another_tenant_put_nothing_in_its_log(api: Api) -> None:
    """`endSession` answers False for an id that is none of the caller's sessions; given
    another tenant's user, environment or organisation id, its event went to that
    tenant's log, naming its people. It stays in the caller's own now."""
    x, y, people = await two_tenants(api)
    org = await api.ok(
        'mutation($e: ID!) { createOrganisation(environmentId: $e, name: "Y bv") { id } }',
        api.operator,
        e=y,
    )
    ann = await api.login("ann@x.example", PASSWORD)
    yves = await api.login("yves@y.example", PASSWORD)
    y_before = (await api.ok(LOG, yves, e=y))["auditLog"]["nodes"]
    foreign = [people["yves@y.example"], y, org["createOrganisation"]["id"], "ses_nobody"]
    for target in foreign:
        answer = await api.ok("mutation($s: ID!) { endSession(sessionId: $s) }", ann, s=target)
        assert answer == {"endSession": False}
    assert (await api.ok(LOG, yves, e=y))["auditLog"]["nodes"] == y_before
    mine = [
        e for e in (await api.ok(LOG, ann, e=x))["auditLog"]["nodes"] if e["action"] == "endSession"
    ]
    assert len(mine) == len(foreign)
    assert all(e["environmentIds"] == [x] for e in mine)
    assert not {i for e in mine for i in e["ids"]} & set(foreign[:3])


async def test_the_log_is_its_environments_and_shows_only_what_the_reader_reaches(
    api: Api,
) -> None:
    x, y, people = await two_tenants(api)
    ann = await api.login("ann@x.example", PASSWORD)
    yves = await api.login("yves@y.example", PASSWORD)
    await api.ok(
        "mutation($p: ID!) { proposePartnership(partnerUserId: $p) { id } }",
        ann,
        p=people["yves@y.example"],
    )
    # The proposal is in both logs; X's ADMIN does not see Y's user in it.
    seen_by_x = (await api.ok(LOG, ann, e=x))["auditLog"]["nodes"]
    proposal = next(e for e in seen_by_x if e["action"] == "proposePartnership")
    assert people["yves@y.example"] not in proposal["ids"]
    assert proposal["environmentIds"] == [x]
    seen_by_y = (await api.ok(LOG, yves, e=y))["auditLog"]["nodes"]
    assert any(e["action"] == "proposePartnership" for e in seen_by_y)
    assert (await api.fails(LOG, ann, e=y)).code == "NOT_FOUND"
