"""Every request is bounded (DESIGN §3.0): body, tokens, depth, aliases and cost.

A request over a limit is refused before anything runs, at almost no cost to the
server, with the code ``QUERY_TOO_COMPLEX`` (``REQUEST_TOO_LARGE`` for a body) and
the limit it broke in ``extensions`` (``limit``, ``max``, ``found``):

* the body is read up to ``max_body_bytes`` (:class:`~graph_engine.api.body.BodyGuard`,
  an ASGI middleware, which also answers 400 for a body that is not a JSON object, is
  not UTF-8, holds a lone surrogate or a NUL character, or a number JSON cannot hold);
* the parser stops after ``max_tokens`` tokens (graphql-core's own limit);
* before validation, no field name (or alias) may be selected more than ``max_repeats``
  times in the whole document, ``__typename`` four times that
  (:func:`before_validation`, which also refuses overlong names and integers):
  graphql-core checks that same-named fields can be merged pair by pair, so 800 copies
  of ``me { id }`` (5 KB) held the server for 0.6 s, and the same over fragments more;
* :class:`RequestLimits` measures the operation once it is parsed and validated,
  with the request's variables: selection ``depth``, ``aliases``, and ``cost``, in
  which each field costs 1 and a list multiplies what it selects by its ``first``
  (the argument's value or default), a list without one by :data:`LIST_GUESS`;
  fields that do a lot of work alone weigh more (:data:`WEIGHTS`); and every ``ID``
  given (an argument, a list item, a field of an input) is at most
  :data:`MAX_ID_LENGTH` characters, else ``INVALID_INPUT``: refusals repeat the ids
  they name, so a long one would be sent back many times over.

The defaults let every documented query through (the README's, the explorer's)
and stop what an attacker would send: a 1,000-alias document, a nested
``users { nodes { environment { users ... } } }`` over large pages.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

from graphql import (
    BREAK,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NameNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    Visitor,
    get_operation_ast,
    value_from_ast_untyped,
    visit,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from graph_engine.api.body import BadBody, check_text
from graph_engine.model import DEFAULT_PAGE
from graph_engine.store.pagination import MAX_PAGE

# A list without a `first` argument counts as this many items.
LIST_GUESS = 10
# Fields that do much work on their own (a layout, a search over the graph).
# A neighbourhood lays out up to 300 nodes: four of them fill a request's budget.
# Introspection builds the whole schema's description (about 60 ms for `__schema`, more
# than a megabyte with every field's arguments): one fits, a document of aliases of it
# does not.
WEIGHTS = {
    "neighbourhood": 5_000,
    "findNodes": 200,
    "missingConnections": 20,
    "__schema": 5_000,
    "__type": 50,
}
# Lists whose length their parent's `first` already counted.
PAGE_ITEMS = frozenset({"nodes", "edges"})
TOO_COMPLEX = "QUERY_TOO_COMPLEX"
# `__typename` may be selected this many times as often as any other name (see before_validation).
TYPENAME_REPEATS = 4
# Ours are at most about 30 characters; an Int holds 10 digits (see before_validation).
MAX_NAME_LENGTH = 128
MAX_INT_DIGITS = 100
# Ours are about 20 characters, a global id about 40.
MAX_ID_LENGTH = 128


@dataclass(frozen=True, slots=True)
class Limits:
    """The bounds of one request; every one can be set from the environment.

    ``GRAPH_ENGINE_MAX_BODY_BYTES``, ``GRAPH_ENGINE_MAX_QUERY_CHARS``,
    ``GRAPH_ENGINE_MAX_QUERY_LINES``, ``GRAPH_ENGINE_MAX_TOKENS``,
    ``GRAPH_ENGINE_MAX_REPEATS``, ``GRAPH_ENGINE_MAX_DEPTH``,
    ``GRAPH_ENGINE_MAX_ALIASES``, ``GRAPH_ENGINE_MAX_COST`` and
    ``GRAPH_ENGINE_INTROSPECTION`` (``true``/``false``).
    """

    max_body_bytes: int = 1_000_000
    # A query at the token limit is about 15 KB; graphql-core locates each error by
    # scanning the text before it (see graph_engine.api.body.query_too_large).
    max_query_chars: int = 32_768
    max_query_lines: int = 2_000
    max_tokens: int = 5_000
    max_repeats: int = 50
    max_depth: int = 12
    max_aliases: int = 30
    max_cost: int = 20_000
    introspection: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"GRAPH_ENGINE_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            name = f"GRAPH_ENGINE_{f.name.upper()}"
            if f.name == "introspection":
                if raw.lower() not in {"true", "false", "1", "0"}:
                    raise ValueError(f"{name} must be true or false, not {raw!r}")
                values[f.name] = raw.lower() in {"true", "1"}
                continue
            try:
                values[f.name] = int(raw)
            except ValueError:
                raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
            if values[f.name] < 1:
                raise ValueError(f"{name} must be at least 1, not {raw!r}")
        return cls(**values)


def too_complex(limit: str, maximum: int, found: int) -> GraphQLError:
    return GraphQLError(
        f"the request is over the {limit} limit: {found} where {maximum} is the most allowed",
        extensions={"code": TOO_COMPLEX, "limit": limit, "max": maximum, "found": found},
    )


def before_validation(document: DocumentNode, maximum: int) -> GraphQLError | None:
    """The refusal of a document validation should not see, or None. Runs before it and
    bounds its work: a document that selects one name (or alias) more than ``maximum``
    times, counted over all its text (every operation and fragment, none expanded;
    ``__typename`` four times as often: clients add it to every selection set), is
    ``QUERY_TOO_COMPLEX``; a name over :data:`MAX_NAME_LENGTH` characters (validation
    compares an unknown one with every name it could have meant) or an integer of more
    than :data:`MAX_INT_DIGITS` digits (Python will not read it: an internal error) is
    ``INVALID_INPUT``."""
    counts: dict[str, int] = {}
    bad: list[GraphQLError] = []  # the first malformed part; the visit stops there

    def refuse(message: str, most: int) -> Any:
        bad.append(GraphQLError(message, extensions={"code": "INVALID_INPUT", "max": most}))
        return BREAK

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            name = (node.alias or node.name).value
            counts[name] = counts.get(name, 0) + 1

        def enter_name(self, node: NameNode, *_: Any) -> Any:
            if len(node.value) > MAX_NAME_LENGTH:
                return refuse(
                    f"a name in the document is at most {MAX_NAME_LENGTH} characters",
                    MAX_NAME_LENGTH,
                )
            return None

        def enter_int_value(self, node: IntValueNode, *_: Any) -> Any:
            if len(node.value.lstrip("-")) > MAX_INT_DIGITS:
                return refuse(
                    f"an integer in the document has more than {MAX_INT_DIGITS} digits",
                    MAX_INT_DIGITS,
                )
            return None

    visit(document, Fields())
    if bad:
        return bad[0]
    for name, count in counts.items():
        allowed = maximum * TYPENAME_REPEATS if name == "__typename" else maximum
        if count > allowed:
            return too_complex("repeats", allowed, count)
    return None


# -- measuring an operation -------------------------------------------------------------


@dataclass
class Measures:
    depth: int = 0
    aliases: int = 0
    cost: float = 0
    # The first argument that holds an ID longer than MAX_ID_LENGTH.
    long_id: str | None = None


def _long_id(value: Any, type_: Any) -> bool:
    """Whether ``value`` (of input type ``type_``) holds an ID over :data:`MAX_ID_LENGTH`."""
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            return isinstance(value, list) and any(_long_id(v, type_.of_type) for v in value)
        type_ = type_.of_type
    if type_ is GraphQLID:
        return isinstance(value, str) and len(value) > MAX_ID_LENGTH
    if isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        return any(
            name in type_.fields and _long_id(item, type_.fields[name].type)
            for name, item in value.items()
        )
    return False


@dataclass(slots=True)
class _Size:
    """What one selection set weighs once: its cost at a factor of 1, its aliases, and
    how many selection sets deep it goes below itself."""

    cost: int = 0
    aliases: int = 0
    depth: int = 0

    def add(self, other: _Size, *, times: int = 1, deeper: int = 0) -> None:
        self.cost = min(self.cost + times * other.cost, _CAP)
        self.aliases = min(self.aliases + other.aliases, _CAP)
        self.depth = max(self.depth, deeper + other.depth)


# Measures stop growing here: far beyond every limit, and a number a message can show
# (a document of fragments that each spread the one before twice doubles per fragment).
_CAP = 10**12


def _named(type_: Any) -> tuple[GraphQLNamedType, bool]:
    """The named type under NonNull/List wrappers, and whether a list wraps it."""
    is_list = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, is_list


class _Walker:
    """Measures an operation in one pass over its text: each fragment is measured once,
    however often it is spread (validation has refused cycles), so a document whose
    fragments spread each other twice over costs its length to measure, not two to the
    power of its fragments."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self._fragments: dict[str, _Size] = {}
        # Every argument of a known field, in the order met, for the ID check.
        self.arguments: list[tuple[str, ValueNode, Any]] = []
        # Whether a page's or a list's size came from a variable.
        self.varies = False

    def _value(self, node: ValueNode) -> Any:
        if isinstance(node, VariableNode):
            self.varies = True
            return self.variables.get(node.name.value)
        if isinstance(node, ListValueNode | ObjectValueNode):
            self.varies = True  # a variable may be inside
            return value_from_ast_untyped(node, dict(self.variables))
        return value_from_ast_untyped(node)

    def _first(self, node: FieldNode, definition: Any) -> int | None:
        """How many items a paged field asks for: its `first` or `last` (default 20)."""
        if "first" not in definition.args:
            return None
        given = {a.name.value: self._value(a.value) for a in node.arguments or ()}
        value = given.get("last") if given.get("first") is None else given.get("first")
        if value is None:
            value = DEFAULT_PAGE
        # A page is at most MAX_PAGE long: a larger one is refused on its own.
        return min(value, MAX_PAGE) if isinstance(value, int) and value > 0 else 1

    def _ids(self, node: FieldNode, definition: Any) -> int | None:
        """How many objects ``nodes(ids:)`` asks for: the length of its list."""
        if "ids" not in definition.args:
            return None
        given = next((a for a in node.arguments or () if a.name.value == "ids"), None)
        value = self._value(given.value) if given is not None else None
        return max(len(value), 1) if isinstance(value, list) else 1

    def size(self, selection_set: SelectionSetNode, parent: Any) -> _Size:
        """What a selection set weighs, its fragments' weight included."""
        size = _Size()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                size.add(self._field(selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                cond = selection.type_condition
                inner = self.schema.get_type(cond.name.value) if cond is not None else parent
                size.add(self.size(selection.selection_set, inner))
            elif isinstance(selection, FragmentSpreadNode):
                size.add(self._fragment(selection.name.value))
        return size

    def _fragment(self, name: str) -> _Size:
        known = self._fragments.get(name)
        if known is None:
            fragment = self.fragments.get(name)
            known = _Size()
            if fragment is not None:
                inner = self.schema.get_type(fragment.type_condition.name.value)
                known = self.size(fragment.selection_set, inner)
            self._fragments[name] = known
        return known

    def _field(self, node: FieldNode, owner: Any) -> _Size:
        name = node.name.value
        size = _Size(cost=WEIGHTS.get(name, 1), aliases=int(node.alias is not None))
        definition = owner.fields.get(name) if isinstance(owner, GraphQLObjectType) else None
        if definition is not None:
            for argument in node.arguments or ():
                arg = definition.args.get(argument.name.value)
                if arg is not None:
                    self.arguments.append((argument.name.value, argument.value, arg.type))
        if definition is None or node.selection_set is None:
            return size  # scalars, __typename, or fields of interfaces and unions
        child, is_list = _named(definition.type)
        first = self._first(node, definition)
        if first is None:
            first = self._ids(node, definition)
        multiplier = first if first is not None else 1
        if first is None and is_list and name not in PAGE_ITEMS:
            multiplier = LIST_GUESS
        size.add(self.size(node.selection_set, child), times=multiplier, deeper=1)
        return size


@dataclass(frozen=True, slots=True)
class Measured:
    """An operation's measures but its IDs', and its arguments to check for long IDs."""

    measures: Measures
    arguments: tuple[tuple[str, ValueNode, Any], ...]


def measure(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    *,
    kept: dict[str | None, Measured] | None = None,
    key: str | None = None,
) -> Measures:
    """The operation's measures with these variables. ``kept`` keeps, under ``key``, what
    does not depend on the variables when nothing does but the IDs (a document's own
    measures, :class:`graph_engine.api.documents.Kept`): then only the IDs are checked
    again."""
    found = None if kept is None else kept.get(key)
    walker = _Walker(schema, fragments, variables)
    if found is None:
        size = walker.size(operation.selection_set, schema.get_root_type(operation.operation))
        measures = Measures(depth=size.depth, aliases=size.aliases, cost=size.cost)
        found = Measured(measures, tuple(walker.arguments))
        if kept is not None and not walker.varies:
            kept[key] = found
    long_id = next(
        (name for name, value, type_ in found.arguments if _long_id(walker._value(value), type_)),  # noqa: SLF001
        None,
    )
    return dataclasses.replace(found.measures, long_id=long_id)


def check(  # noqa: PLR0917 - refusal()'s arguments
    limits: Limits,
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    kept: dict[str | None, Measured] | None = None,
) -> GraphQLError | None:
    """The first limit the operation breaks, or None (``kept``: see :func:`measure`)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        # The spec's answer; strawberry would run the first operation instead, unmeasured.
        message = (
            f"Unknown operation named '{operation_name}'."
            if operation_name is not None
            else "Must provide operation name if query contains multiple operations."
        )
        return GraphQLError(message, extensions={"code": "GRAPHQL_VALIDATION_FAILED"})
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    found = measure(schema, operation, fragments, variables or {}, kept=kept, key=operation_name)
    if found.long_id is not None:
        return GraphQLError(
            f"an id is at most {MAX_ID_LENGTH} characters ({found.long_id})",
            extensions={"code": "INVALID_INPUT", "field": found.long_id, "max": MAX_ID_LENGTH},
        )
    if found.aliases > limits.max_aliases:
        return too_complex("aliases", limits.max_aliases, found.aliases)
    if found.depth > limits.max_depth:
        return too_complex("depth", limits.max_depth, found.depth)
    cost = math.ceil(found.cost)
    if cost > limits.max_cost:
        return too_complex("cost", limits.max_cost, cost)
    return None


def bad_literal(document: Any) -> GraphQLError | None:
    """A string literal in the document holding a NUL or a lone surrogate (written as a
    GraphQL escape, which the body check cannot see), or None."""
    found: list[str] = []

    class Strings(Visitor):
        def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
            try:
                check_text(node.value, "a string in the query")
            except BadBody as exc:
                found.append(str(exc))

    visit(document, Strings())
    if not found:
        return None
    return GraphQLError(found[0], extensions={"code": "INVALID_INPUT"})


class RequestLimits(SchemaExtension):
    """Refuse an operation over a limit before it runs (see the module docstring)."""

    def __init__(self, *, limits: Limits) -> None:
        self.limits = limits

    def on_parse(self) -> Iterator[None]:
        self.execution_context.parse_options["max_tokens"] = self.limits.max_tokens
        yield

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None and not ctx.result:
            error = refusal(
                self.limits,
                ctx.schema._schema,  # noqa: SLF001 - strawberry keeps graphql-core's schema here
                ctx.graphql_document,
                ctx.query,
                # The name the client sent: strawberry's operation_name falls back to the
                # document's first operation, which the spec does not allow.
                ctx._provided_operation_name,  # noqa: SLF001
                ctx.variables,
            )
            if error is not None:
                ctx.result = GraphQLExecutionResult(data=None, errors=[error])
        yield


def refusal(  # noqa: PLR0917 - check()'s arguments and the query text
    limits: Limits,
    schema: GraphQLSchema,
    document: Any,
    query: str | None,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    kept: dict[str | None, Measured] | None = None,
) -> GraphQLError | None:
    """Why a parsed and valid operation may not run (a bad literal, a limit), or None;
    ``kept``: the document's measures kept (see :func:`measure`)."""
    # Only an escape can put a NUL or a lone surrogate into a literal (the body check saw
    # the raw characters), so a query without one needs no visit.
    escaped = "\\u" in (query or "")
    return (bad_literal(document) if escaped else None) or check(
        limits, schema, document, operation_name, variables, kept
    )
