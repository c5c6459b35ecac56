"""Every refusal has a stable code, a message, no stack trace, no 500, and no partial write."""

from __future__ import annotations

from typing import Any

import pytest
from apiclient import Api

PASSWORD = "correct horse battery"


async def setup_two_tenants(api: Api) -> dict[str, Any]:
    """Two unrelated environments with an ADMIN and an organisation each."""
    data = await api.ok(
        """mutation {
             a: createEnvironment(input: {name: "A", emailDomain: "a.example"}) { id }
             b: createEnvironment(input: {name: "B", emailDomain: "b.example"}) { id } }""",
        api.operator,
    )
    ids: dict[str, Any] = {"envA": data["a"]["id"], "envB": data["b"]["id"]}
    for side in ("A", "B"):
        made = await api.ok(
            """mutation($e: ID!, $email: String!, $pw: String!) {
                 createUser(input: {environmentId: $e, email: $email, name: "Admin", password: $pw}) { id }
                 createOrganisation(environmentId: $e, name: "Org") { id } }""",
            api.operator,
            e=ids[f"env{side}"],
            email=f"admin@{side.lower()}.example",
            pw=PASSWORD,
        )
        ids[f"user{side}"] = made["createUser"]["id"]
        ids[f"org{side}"] = made["createOrganisation"]["id"]
        ids[f"token{side}"] = await api.login(f"admin@{side.lower()}.example", PASSWORD)
    return ids


async def graph_size(api: Api) -> tuple[int, int]:
    data = await api.engine.store.export_graph()
    return len(data.nodes), len(data.relationships)


async def test_no_token_is_unauthenticated(api: Api) -> None:
    reply = await api.fails("{ me { id } }")
    assert reply.code == "UNAUTHENTICATED"
    assert reply.data is None
    assert "Bearer" in reply.errors[0]["extensions"]["suggestion"]


@pytest.mark.parametrize("token", ["garbage", "ges_forged", "gek_forged", "Bearer"])
async def test_an_unknown_token_is_unauthenticated(api: Api, token: str) -> None:
    assert (await api.fails("{ me { id } }", token)).code == "UNAUTHENTICATED"


async def test_a_wrong_password_is_unauthenticated_and_says_nothing_more(api: Api) -> None:
    await setup_two_tenants(api)
    wrong = await api.fails(
        'mutation { login(email: "admin@a.example", password: "nope nope") { token } }'
    )
    unknown = await api.fails(
        'mutation { login(email: "nobody@a.example", password: "nope nope") { token } }'
    )
    assert wrong.code == unknown.code == "UNAUTHENTICATED"
    assert wrong.errors[0]["message"] == unknown.errors[0]["message"]


async def test_a_logged_out_session_is_invalidated(api: Api) -> None:
    ids = await setup_two_tenants(api)
    assert await api.ok("mutation { logout }", ids["tokenA"]) == {"logout": True}
    reply = await api.fails("{ me { id } }", ids["tokenA"])
    assert reply.code == "SESSION_INVALIDATED"
    assert "logged out" in reply.errors[0]["message"]


async def test_reaching_into_another_environment_answers_as_for_an_unknown_id(api: Api) -> None:
    """Outside the caller's reach is NOT_FOUND, word for word what a missing id gets."""
    ids = await setup_two_tenants(api)
    token = ids["tokenA"]
    fake = {"userB": "usr_0000000000000000", "orgB": "org_0000000000000000"}
    fake["envB"] = "env_0000000000000000"
    for query, variables in [
        ("query($id: ID!) { user(id: $id) { id } }", {"id": ids["userB"]}),
        ("query($id: ID!) { organisation(id: $id) { id } }", {"id": ids["orgB"]}),
        ("query($id: ID!) { environment(id: $id) { name } }", {"id": ids["envB"]}),
        (
            "query($j: ID!, $o: ID!) { canInvite(inviteeId: $j, organisationId: $o) { allowed } }",
            {"j": ids["userB"], "o": ids["orgA"]},
        ),
        (
            "query($o: ID!) { inviteCandidates(organisationId: $o) { nodes { id } } }",
            {"o": ids["orgB"]},
        ),
        (
            "query($e: ID!) { missingConnections(environmentId: $e) { nodes { userId } } }",
            {"e": ids["envB"]},
        ),
    ]:
        reply = await api.fails(query, token, **variables)
        assert reply.code == "NOT_FOUND", query
        assert reply.data is None
        swapped = {
            k: fake.get(next(n for n, i in ids.items() if i == v), v) for k, v in variables.items()
        }
        unknown = await api.fails(query, token, **swapped)
        assert unknown.code == "NOT_FOUND"
        text = str(reply.errors)
        for name, real in ids.items():
            if name in fake:
                text = text.replace(real, fake[name])
        assert text == str(unknown.errors), query


async def test_unknown_ids_are_not_found(api: Api) -> None:
    ids = await setup_two_tenants(api)
    reply = await api.fails(
        "query($j: ID!, $o: ID!) { canInvite(inviteeId: $j, organisationId: $o) { allowed } }",
        ids["tokenA"],
        j="usr_0000000000000000",
        o=ids["orgA"],
    )
    assert reply.code == "NOT_FOUND"
    assert reply.errors[0]["extensions"]["id"] == "usr_0000000000000000"
    # an id of the wrong kind is not found either
    reply = await api.fails(
        "query($id: ID!) { user(id: $id) { id } }", ids["tokenA"], id=ids["orgA"]
    )
    assert reply.code == "NOT_FOUND"


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{ me { id nosuchfield } }", {}, "GRAPHQL_VALIDATION_FAILED"),
        ("{ me { id ", {}, "GRAPHQL_PARSE_FAILED"),
        ("query { me { id } } }", {}, "GRAPHQL_PARSE_FAILED"),
        (
            "query($o: ID!) { inviteCandidates(organisationId: $o) { nodes { id } } }",
            {},
            "INVALID_INPUT",  # a variable left out: the document is fine, the request is not
        ),
        (
            "query($o: ID!) { inviteCandidates(organisationId: $o, first: 0) { nodes { id } } }",
            {"o": "x"},
            "INVALID_INPUT",
        ),
        (
            "query($o: ID!) { inviteCandidates(organisationId: $o, first: 100000) { nodes { id } } }",
            {"o": "x"},
            "INVALID_INPUT",
        ),
        (
            'query($o: ID!) { inviteCandidates(organisationId: $o, after: "%%%") { nodes { id } } }',
            {"o": "x"},
            "INVALID_INPUT",
        ),
        (
            'query($o: ID!) { inviteCandidates(organisationId: $o, first: "ten") { nodes { id } } }',
            {"o": "x"},
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            'mutation { grantAccess(userId: "x", organisationId: "y", role: SUPERUSER) { role } }',
            {},
            "GRAPHQL_VALIDATION_FAILED",
        ),
        (
            'query($n: Int!) { inviteCandidates(organisationId: "o", first: $n) { nodes { id } } }',
            {"n": "x"},
            "INVALID_INPUT",
        ),
        (
            'mutation($r: Role!) { setUserRole(userId: "x", role: $r) { id } }',
            {"r": "SUPERUSER"},
            "INVALID_INPUT",  # a variable outside its enum
        ),
    ],
)
async def test_malformed_input_has_a_code_for_where_it_failed(
    api: Api, query: str, variables: dict[str, Any], code: str
) -> None:
    """A document that does not parse, one that does not validate, and input that does
    not fit (variables, arguments) each have their own code; nothing runs."""
    ids = await setup_two_tenants(api)
    given = {k: ids["orgA"] if v == "x" and k == "o" else v for k, v in variables.items()}
    reply = await api.fails(query, ids["tokenA"], **given)
    assert reply.code == code, reply.body
    assert reply.data is None
    assert reply.errors[0]["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("name", "   "),
        ("password", "short"),
        ("email", "x" * 300 + "@a.example"),
    ],
)
async def test_a_bad_field_is_invalid_input_and_writes_nothing(
    api: Api, field: str, value: str
) -> None:
    ids = await setup_two_tenants(api)
    before = await graph_size(api)
    fields = {"email": "new@a.example", "name": "New", "password": PASSWORD, field: value}
    reply = await api.fails(
        """mutation($e: ID!, $email: String!, $name: String!, $pw: String!) {
             createUser(input: {environmentId: $e, email: $email, name: $name, password: $pw}) { id } }""",
        ids["tokenA"],
        e=ids["envA"],
        email=fields["email"],
        name=fields["name"],
        pw=fields["password"],
    )
    assert reply.code == "INVALID_INPUT"
    assert reply.errors[0]["extensions"]["field"] == field
    assert await graph_size(api) == before


async def test_a_refused_mutation_writes_nothing(api: Api) -> None:
    ids = await setup_two_tenants(api)
    before = await graph_size(api)
    # a partnership with oneself's environment, a duplicate email
    refusals = [
        (
            "mutation($p: ID!) { proposePartnership(partnerUserId: $p) { id } }",
            {"p": ids["userA"]},
            "INVALID_INPUT",
        ),
        (
            """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "admin@a.example",
                 name: "Twin"}) { id } }""",
            {"e": ids["envA"]},
            "CONSTRAINT_VIOLATION",
        ),
    ]
    for query, variables, code in refusals:
        reply = await api.fails(query, ids["tokenA"], **variables)
        assert reply.code == code
    assert await graph_size(api) == before


async def test_a_user_cannot_act_as_an_operator(api: Api) -> None:
    ids = await setup_two_tenants(api)
    reply = await api.fails(
        'mutation { createEnvironment(input: {name: "X", emailDomain: "x.example"}) { id } }',
        ids["tokenA"],
    )
    assert reply.code == "FORBIDDEN"
    reply = await api.fails(
        'mutation($e: ID!) { createOrganisation(environmentId: $e, name: "Mine now") { id } }',
        ids["tokenA"],
        e=ids["envB"],
    )
    assert reply.code == "NOT_FOUND"


async def test_broken_http_requests_are_client_errors(api: Api) -> None:
    for body, content_type in [
        (b"not json", "application/json"),
        (b'{"query": 5}', "application/json"),
        (b"[1, 2", "application/json"),
        (b"\x00\xff\xfe", "application/json"),
        (b"query=1", "text/plain"),
    ]:
        response = await api.http.post(
            "/graphql", content=body, headers={"content-type": content_type}
        )
        assert 400 <= response.status_code < 500, (body, response.status_code)
        assert "Traceback" not in response.text


async def test_health_reports_the_store(api: Api) -> None:
    response = await api.http.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["store"] == api.engine.store.name
