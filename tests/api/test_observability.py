"""What an operator watches, read the way their tools read it: Prometheus' own parser, log
lines as JSON, spans through an OpenTelemetry exporter."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from apiclient import Api
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client.parser import text_string_to_metric_families

from graph_engine import demo, telemetry
from graph_engine.api.app import create_app
from graph_engine.services import Engine

PASSWORD = "correct horse battery"


async def scrape(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await api.http.get("/metrics", headers={"Authorization": f"Bearer {api.operator}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:  # type: ignore[type-arg]
    return float(samples.get((name, tuple(sorted(labels.items()))), 0.0))


async def test_metrics_are_for_operators_only(api: Api) -> None:
    """Open, a counter would tell a guesser which addresses have accounts."""
    made = await api.ok(
        'mutation { createEnvironment(input: {name: "M", emailDomain: "m.example"}) { id } }',
        api.operator,
    )
    await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "a@m.example",
             name: "A", role: ADMIN, password: "correct horse battery"}) { id } }""",
        api.operator,
        e=made["createEnvironment"]["id"],
    )
    token = await api.login("a@m.example", PASSWORD)
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": f"Bearer {token}"}):
        response = await api.http.get("/metrics", headers=headers)
        assert response.status_code == 401
        assert "graph_engine" not in response.text
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_operation_names_cannot_grow_the_metrics_without_bound(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The client names its operations: new names past the bound, and long ones, are
    counted as ``other`` instead of each making a series of its own; the access log cuts
    a long one."""
    monkeypatch.setattr(telemetry, "_request_series", dict(telemetry._request_series))
    room = 5
    monkeypatch.setattr(telemetry, "MAX_OPERATION_SERIES", len(telemetry._request_series) + room)
    before = await scrape(api)
    names = [f"Probe{i}" for i in range(room + 20)] + ["L" + "o" * 100 + "ng"]
    with caplog.at_level(logging.INFO, logger="graph_engine.access"):
        for name in names:
            await api.ok(f"query {name} {{ __typename }}")
    after = await scrape(api)
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graph_engine.access"]
    assert logged[-1]["operation"] == names[-1][: telemetry.OPERATION_NAME_CHARS] + "…"
    assert logged[0]["operation"] == names[0]

    def grew(operation: str) -> float:
        key = ("graph_engine_requests_total", (("operation", operation), ("type", "query")))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert [grew(name) for name in names[:room]] == [1.0] * room
    assert all(grew(name) == 0 for name in names[room:])
    assert grew("other") == len(names) - room
    series = {labels for name, labels in after if name == "graph_engine_requests_total"}
    assert not any(
        len(dict(labels)["operation"]) > telemetry.OPERATION_NAME_CHARS for labels in series
    )


async def test_metrics_count_operations_errors_store_calls_decisions_and_logins(
    api: Api,
) -> None:
    before = await scrape(api)
    await api.ok(
        'mutation Provision { createEnvironment(input: {name: "M", emailDomain: "m.example"}) { id } }',
        api.operator,
    )
    await api.fails('query Missing { organisation(id: "org_nope") { name } }', api.operator)
    login = "mutation LogIn($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
    await api.fails(login, e="nobody@m.example", p=PASSWORD)
    after = await scrape(api)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("graph_engine_requests_total", operation="Provision", type="mutation") == 1
    assert grew("graph_engine_request_seconds_count", operation="Provision") == 1
    assert grew("graph_engine_errors_total", code="NOT_FOUND") == 1
    assert grew("graph_engine_logins_total", outcome="failed") == 1
    store = api.engine.store.name
    assert grew("graph_engine_store_calls_total", operation="create_environment", store=store) == 1
    assert grew("graph_engine_store_seconds_count", operation="get_organisation", store=store) >= 0
    assert ("graph_engine_active_sessions", ()) in after
    assert ("graph_engine_open_maintenance_windows", ()) in after


async def test_a_read_in_session_is_one_store_call_on_either_store(api: Api) -> None:
    """canInvite asked with a session is one store operation (the session and the
    decision in one statement on Neo4j, under one hold of the lock in memory), counted
    once: not again as the session's and the decision's own operations."""
    await demo.load_demo(api.engine)
    token = await api.login("anna@boekhouder.example", demo.PASSWORD)
    before = await scrape(api)
    await api.ok(
        "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) { allowed } }",
        token,
        i=demo.USERS[3].id,
        o=demo.CUSTOMER_ORG,
    )
    after = await scrape(api)
    store = api.engine.store.name

    def calls(operation: str) -> float:
        name = "graph_engine_store_calls_total"
        return value(after, name, operation=operation, store=store) - value(
            before, name, operation=operation, store=store
        )

    assert calls("can_invite_in_session") == 1
    assert calls("resolve_session") == 0
    assert calls("can_invite") == 0


async def test_every_request_writes_one_json_access_line_without_secrets(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    await api.ok(
        """mutation { e: createEnvironment(input: {name: "L", emailDomain: "l.example"}) { id } }""",
        api.operator,
    )
    with caplog.at_level(logging.INFO, logger="graph_engine.access"):
        response = await api.http.post(
            "/graphql",
            json={
                "query": "mutation Enter($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                "variables": {"e": "x@l.example", "p": PASSWORD},
            },
            headers={"x-request-id": "trace-me-1", "authorization": f"Bearer {api.operator}"},
        )
        await api.http.get("/health/live")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "graph_engine.access"]
    assert len(lines) == 2
    graphql, health = lines
    assert graphql["requestId"] == "trace-me-1" == response.headers["x-request-id"]
    assert (graphql["operation"], graphql["principal"], graphql["code"]) == (
        "Enter",
        "ANONYMOUS",  # login is public: the key sent along is not looked at
        "UNAUTHENTICATED",
    )
    assert (graphql["status"], graphql["method"], graphql["path"]) == (200, "POST", "/graphql")
    assert graphql["ms"] >= 0
    assert health["path"] == "/health/live"
    text = caplog.text
    assert PASSWORD not in text
    assert api.operator not in text
    assert "x@l.example" not in text


@pytest.fixture(scope="module")
def spans() -> Iterator[InMemorySpanExporter]:
    """One tracer provider for the process (OpenTelemetry allows one), exporting to memory;
    shut down after this module, so the rest of the suite records no spans."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    yield exporter
    exporter.clear()
    provider.shutdown()


@pytest.fixture
async def traced(api: Api, spans: InMemorySpanExporter) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Engine(api.engine.store, api.engine.clock), close_store=False, tracing=True)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine.test") as http:
            yield http


async def test_with_tracing_on_requests_resolvers_and_store_calls_are_spans(
    api: Api, traced: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    spans.clear()
    response = await traced.post(
        "/graphql",
        json={"query": 'query Look { organisation(id: "org_x") { name } }'},
        headers={"authorization": f"Bearer {api.operator}"},
    )
    assert response.status_code == 200
    names = [s.name for s in spans.get_finished_spans()]
    assert any(n.startswith("POST /graphql") for n in names), names
    assert any("Look" in n or "GraphQL" in n for n in names), names
    assert "store.resolve_api_key" in names
    assert "store.locate" in names
    store_span = next(s for s in spans.get_finished_spans() if s.name == "store.locate")
    assert store_span.attributes is not None
    assert store_span.attributes["db.system"] == api.engine.store.name
