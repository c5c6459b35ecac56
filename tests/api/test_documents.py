"""Kept documents are bounded by the characters of their queries, not by a count: many
large distinct queries cannot pin memory, on either way a request is answered."""

from __future__ import annotations

import httpx
import pytest
from apiclient import Api
from graphql import GraphQLError

from graph_engine.api.app import create_app
from graph_engine.api.documents import BUDGET, LONGEST, Documents
from graph_engine.api.schema import schema


def big(n: int, size: int) -> str:
    """A valid query of ``size`` characters (most of them a comment, so within every
    limit), different for each ``n``."""
    head = f"{{ __typename }}\n# {n} "
    return head + "x" * (size - len(head))


def test_documents_stay_within_their_budget_least_recently_used_out_first() -> None:
    kept = Documents(schema._schema, schema.documents.rules, 5_000, budget=1_000, longest=400)
    first = "{ __typename }"
    kept.get(first)
    texts = [big(n, 300) for n in range(10)]
    for text in texts:
        kept.get(first)  # used again and again: stays
        kept.get(text)
        assert kept.size <= kept.budget
        assert kept.size == sum(len(q) for q in kept.kept)
    assert first in kept.kept
    assert texts[-1] in kept.kept
    assert texts[0] not in kept.kept  # the least recently used went first
    # Too long to keep: answered, not kept.
    long = big(99, 600)
    assert kept.get(long).errors == ()
    assert long not in kept.kept
    # A syntax error is raised, and not kept; an invalid document is kept with its errors.
    with pytest.raises(GraphQLError):
        kept.get("{ me { ")
    assert "{ me { " not in kept.kept
    assert kept.get("{ nothingHere }").errors
    assert kept.valid("{ nothingHere }") is None
    assert kept.valid(first) is kept.get(first)


@pytest.mark.parametrize("direct", [True, False], ids=["direct path", "whole way"])
async def test_many_large_queries_cannot_grow_the_kept_documents(api: Api, direct: bool) -> None:
    app = create_app(api.engine, close_store=False, direct=direct)
    kept = schema.documents
    headers: dict[str, str] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine.test") as http:
            for n in range(BUDGET // LONGEST + 10):
                query = big(n, LONGEST - 200)
                reply = await http.post("/graphql", json={"query": query}, headers=headers)
                assert reply.status_code == 200
                assert "errors" not in reply.json()
                assert query in kept.kept  # kept: answered from the cache next time
                assert kept.size <= BUDGET
    assert len(kept.kept) <= BUDGET // (LONGEST - 200) + 1
