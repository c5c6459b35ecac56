"""GraphQL over HTTP as the spec has it, and a schema that code generators read right.

* ``schema.graphql`` names its roots; no type is taken for a subscription root.
* ``application/graphql-response+json`` is offered to a client that accepts it; with it,
  a request that fails before it runs answers HTTP 400 without ``data``; with
  ``application/json`` (or no ``Accept``) it answers 200 and ``"data": null``.
* Parse and validation failures have their own codes; closed sets are enums, so a
  value outside one fails validation and names the values it may take.

None of this touches a store, so it runs on the memory store only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from apiclient import Api
from conftest import serving
from graphql import build_schema, parse, validate

from graph_engine.clock import ManualClock
from graph_engine.services import Engine
from graph_engine.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def api(memory_store: MemoryStore, clock: ManualClock) -> AsyncIterator[Api]:
    async with serving(Engine(memory_store, clock)) as served:
        yield served


async def post(api: Api, accept: str | None, query: str, **variables: Any) -> Any:
    headers = {"authorization": f"Bearer {api.operator}"}
    if accept is not None:
        headers["accept"] = accept
    return await api.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )


def test_schema_graphql_has_query_and_mutation_roots_and_no_subscription_root() -> None:
    built = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    assert built.query_type is not None
    assert built.query_type.name == "Query"
    assert built.mutation_type is not None
    assert built.mutation_type.name == "Mutation"
    assert built.subscription_type is None
    assert "Subscription" not in built.type_map
    assert "RelationSubscription" in built.type_map
    # A code generator validating a subscription against the file refuses it.
    errors = validate(built, parse("subscription { relationId }"))
    assert [e.message for e in errors] == [
        "The subscription operation is not supported by the schema."
    ]


# (query, variables, code) of requests that fail before anything runs.
REQUEST_ERRORS = [
    ("{ me { id ", {}, "GRAPHQL_PARSE_FAILED"),
    ("{ me { nosuchfield } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("query($n: Int!) { findNodes(search: $n) { id } }", {"n": 1}, "GRAPHQL_VALIDATION_FAILED"),
    ('query($n: Int!) { findNodes(search: "x", first: $n) { id } }', {"n": "x"}, "INVALID_INPUT"),
    ("{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }", {}, "QUERY_TOO_COMPLEX"),
]


@pytest.mark.parametrize(("query", "variables", "code"), REQUEST_ERRORS)
async def test_a_request_error_is_a_400_without_data_for_graphql_response_json(
    api: Api, query: str, variables: dict[str, Any], code: str
) -> None:
    response = await post(api, GRAPHQL_RESPONSE, query, **variables)
    assert response.status_code == 400
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code


@pytest.mark.parametrize("accept", [None, "application/json", "*/*"])
@pytest.mark.parametrize(("query", "variables", "code"), REQUEST_ERRORS)
async def test_a_request_error_stays_a_200_with_null_data_for_application_json(
    api: Api, accept: str | None, query: str, variables: dict[str, Any], code: str
) -> None:
    response = await post(api, accept, query, **variables)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == code


async def test_the_client_s_preference_decides_the_media_type(api: Api) -> None:
    for accept, expected in [
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json;q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", "application/json"),
        ("text/html", "application/json"),
        ("this is ;; not a media range", "application/json"),
    ]:
        response = await post(api, accept, "{ me { id } }")
        assert response.headers["content-type"].split(";")[0] == expected, accept


async def test_a_field_error_keeps_its_data_and_a_200(api: Api) -> None:
    response = await api.http.post(
        "/graphql",
        json={"query": "{ me { id } }"},
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    body = response.json()
    assert body["data"] is None  # present: me is non-null, its error reached the root
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["path"] == ["me"]


async def test_an_answer_is_the_same_in_both_media_types(api: Api) -> None:
    query = '{ findNodes(search: "nobody") { id label } }'
    plain = await post(api, "application/json", query)
    spec = await post(api, GRAPHQL_RESPONSE, query)
    assert plain.status_code == spec.status_code == 200
    assert plain.json() == spec.json() == {"data": {"findNodes": []}}


@pytest.mark.parametrize(
    ("argument", "enum"),
    [
        ("PAYROLL", "DossierKind"),
        ('"CANDIDATE"', "DossierKind"),  # a string is not an enum value
    ],
)
async def test_a_value_outside_a_closed_set_fails_validation_and_lists_the_set(
    api: Api, argument: str, enum: str
) -> None:
    before = await api.engine.store.export_graph()
    reply = await api.fails(
        f'mutation {{ createDossier(name: "D", responsibleId: "usr_x", kind: {argument}) {{ id }} }}',
        api.operator,
    )
    assert reply.code == "GRAPHQL_VALIDATION_FAILED"
    message = reply.errors[0]["message"]
    assert enum in message
    assert "CANDIDATE, CONTACT, COMPANY, VACANCY, JOB" in message
    assert await api.engine.store.export_graph() == before


async def test_a_variable_outside_a_closed_set_is_invalid_input_naming_the_set(api: Api) -> None:
    reply = await api.fails(
        'mutation($k: DossierKind!) { createDossier(name: "D", responsibleId: "usr_x", kind: $k) { id } }',
        api.operator,
        k="PAYROLL",
    )
    assert reply.code == "INVALID_INPUT"
    assert "DossierKind" in reply.errors[0]["message"]
    assert "CANDIDATE, CONTACT, COMPANY, VACANCY, JOB" in reply.errors[0]["message"]
