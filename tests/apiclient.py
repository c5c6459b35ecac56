"""A small GraphQL-over-HTTP client for the tests (see the ``api`` fixture)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from graph_engine.services import Engine


@dataclass
class Reply:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.body.get("errors") or []
        return errors

    @property
    def code(self) -> str | None:
        return self.errors[0]["extensions"]["code"] if self.errors else None


@dataclass
class Api:
    http: httpx.AsyncClient
    engine: Engine
    operator: str = ""
    tokens: dict[str, str] = field(default_factory=dict)

    async def call(self, query: str, token: str | None = None, **variables: Any) -> Reply:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code < 500, response.text
        assert "Traceback" not in response.text
        return Reply(response.status_code, response.json())

    async def ok(self, query: str, token: str | None = None, **variables: Any) -> Any:
        reply = await self.call(query, token, **variables)
        assert not reply.errors, reply.errors
        return reply.data

    async def fails(self, query: str, token: str | None = None, **variables: Any) -> Reply:
        reply = await self.call(query, token, **variables)
        assert reply.errors, reply.body
        return reply

    async def login(self, email: str, password: str = "correct horse battery") -> str:
        data = await self.ok(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
            e=email,
            p=password,
        )
        token: str = data["login"]["token"]
        return token
