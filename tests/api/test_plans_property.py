"""Plans against graphql-core on generated documents and values (no store involved).

A small strawberry schema with every kind of leaf a plan reads (strings, nullable ints,
enums, a nullable enum, a custom scalar, ``__typename``), roots that return an object,
a nullable object and a leaf, sync and async. Hypothesis draws a document a plan covers
(the leaves, their order and aliases) and what the resolver gives back: a good value, a
null, a value the type refuses, or an exception. Both ways must give the same data and
the same errors, message, path and locations included.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from graphql import ExecutionResult, execute, parse
from hypothesis import given, settings
from hypothesis import strategies as st
from strawberry.execution import optimized_is_awaitable

from graph_engine.api import plans


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Thing:
    name: str
    size: int | None
    colour: Colour
    maybe_colour: Colour | None
    when: dt.datetime
    flag: bool


class Refused(Exception):
    """What a resolver raises in these tests."""


def _given(info: strawberry.Info) -> Any:
    outcome = info.context["outcome"]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@strawberry.type
class Query:
    @strawberry.field
    async def thing(self, info: strawberry.Info, key: str) -> Thing:  # noqa: ARG002
        await asyncio.sleep(0)
        return _given(info)  # type: ignore[no-any-return]

    @strawberry.field
    def maybe_thing(self, info: strawberry.Info, key: str | None = None) -> Thing | None:  # noqa: ARG002
        return _given(info)  # type: ignore[no-any-return]

    @strawberry.field
    async def count(self, info: strawberry.Info, key: str) -> int:  # noqa: ARG002
        return _given(info)  # type: ignore[no-any-return]


SCHEMA = strawberry.Schema(Query)
CORE = SCHEMA._schema
LEAVES = ["name", "size", "colour", "maybeColour", "when", "flag", "__typename"]
GOOD: dict[str, Any] = {
    "name": "Anna",
    "size": 3,
    "colour": Colour.RED,
    "maybe_colour": Colour.BLUE,
    "when": dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC),
    "flag": True,
}
# A value each field's type refuses to serialise (or, for the nullable ones, a null).
BAD: dict[str, Any] = {
    "name": None,
    "size": "many",
    "colour": "GREEN",
    "maybe_colour": None,
    "when": "not a time",
    "flag": None,
}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """A document a plan covers: (its text, the root field asked)."""
    root = draw(st.sampled_from(["thing", "maybeThing", "count"]))
    alias = draw(st.sampled_from(["", "a: ", "thing: "]))
    argument = '(key: "k")' if root != "maybeThing" or draw(st.booleans()) else ""
    if root == "count":
        return f"{{ {alias}{root}{argument} }}", root
    chosen = draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=7, unique=True))
    leaves = " ".join(
        (f"x{i}: {name}" if draw(st.booleans()) else name) for i, name in enumerate(chosen)
    )
    return f"{{ {alias}{root}{argument} {{ {leaves} }} }}", root


@st.composite
def outcomes(draw: st.DrawFn, root: str) -> Any:
    """What the resolver gives back."""
    kind = draw(st.sampled_from(["good", "null", "raise", "bad", "other"]))
    if kind == "raise":
        return Refused("no such thing")
    if kind == "null":
        return None
    if root == "count":
        return {"good": 7, "bad": "seven", "other": 2**40}[kind]
    if kind == "other":
        return "not a thing"  # not even the type's object
    values = dict(GOOD)
    if kind == "bad":
        for field in draw(st.lists(st.sampled_from(sorted(BAD)), min_size=1, unique=True)):
            values[field] = BAD[field]
    return Thing(**values)


def _shape(result: ExecutionResult) -> tuple[Any, Any]:
    return result.data, [e.formatted for e in result.errors or []]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_plans_answer_as_graphql_core(data: st.DataObject) -> None:
    text, root = data.draw(documents())
    outcome = data.draw(outcomes(root))
    document = parse(text)
    plan = plans.plan(CORE, document)
    assert plan is not None, text
    kwargs: dict[str, Any] = {
        "context_value": {"outcome": outcome},
        "variable_values": None,
        "operation_name": None,
    }
    executor = SCHEMA.execution_context_class

    async def both() -> tuple[ExecutionResult, ExecutionResult]:
        mine = await plans.execute(
            plan,
            CORE,
            document,
            executor_class=executor,
            is_awaitable=optimized_is_awaitable,
            operation_extensions=None,
            **kwargs,
        )
        theirs = execute(
            CORE,
            document,
            executor_class=executor,
            is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]
            operation_extensions=None,
            **kwargs,
        )
        if not isinstance(theirs, ExecutionResult):
            theirs = await theirs
        return mine, theirs

    mine, theirs = asyncio.run(both())
    assert _shape(mine) == _shape(theirs), (text, outcome)
