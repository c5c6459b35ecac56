"""Plans: a hot query's answer without graphql-core's walk over its selection.

The common request asks one field of ``Query`` and a few plain fields of what it returns
(``canInvite(...) { allowed code reason }``). graphql-core answers it by walking the
document: it collects the fields, builds a resolve info for every field, resolves each leaf
through strawberry's wrapper and completes each value, about a third of a memory-store
``canInvite``'s time (benchmarks/README.md). A :class:`Plan`, made once per document,
keeps what that walk finds; :func:`execute` then builds graphql-core's executor (so
variables are coerced, and refused, as always), calls the root field's own resolver (with
strawberry's arguments, extensions and all) and reads the leaves as strawberry's plain
fields read them, serialised by their own scalar or enum type.

A document gets a plan only when its answer cannot differ from graphql-core's (see
:func:`plan`): one query operation, no fragments, no directives, one root field of
``Query`` with an object type of its own (no list, interface or union) or a leaf type,
and below it only distinct plain leaf fields (no resolver, no extension, no arguments)
or ``__typename``. Anything out of the ordinary while answering (the resolver raises,
a value that would be an error or a null where none may be, a value that is not the
type's) is answered by graphql-core itself with the resolver's outcome replayed through
a middleware, so errors, their paths and the nulls they spread are graphql-core's own;
the resolver is still called once. ``tests/api/test_plans.py`` compares both ways.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import KW_ONLY, dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    is_leaf_type,
)
from graphql import execute as graphql_execute
from graphql.execution import Executor
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

Resolver = Callable[..., Any]


@dataclass(frozen=True, slots=True)
class Leaf:
    """A plain field under the root field: its response key, how strawberry reads it
    (None for ``__typename``), its type, whether it may be null."""

    key: str
    read: Resolver | None
    type: GraphQLLeafType
    _: KW_ONLY
    nullable: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """One root field of ``Query`` and, when it returns an object, its plain fields."""

    node: FieldNode
    key: str
    field: GraphQLField
    resolve: Resolver
    parent: GraphQLObjectType
    leaf_type: GraphQLLeafType | None
    object_type: GraphQLObjectType | None
    leaves: tuple[Leaf, ...]
    _: KW_ONLY
    nullable: bool


def _plain(field: GraphQLField) -> Resolver | None:
    """How strawberry reads ``field`` when it is a plain one (its value an attribute of
    the object, nothing run around it), else None."""
    definition = (field.extensions or {}).get("strawberry-definition")
    resolve = field.resolve
    if (
        definition is None
        or not definition.is_basic_field
        or resolve is None
        # strawberry's own resolver for a plain field, which reads the attribute and
        # needs no resolve info (any other wrapper, such as its exception handlers' one,
        # does).
        or getattr(resolve, "__name__", None) != "_get_basic_result"
    ):
        return None
    return resolve


def _leaf(type_: Any) -> tuple[GraphQLLeafType, bool] | None:
    nullable = not isinstance(type_, GraphQLNonNull)
    named = type_ if nullable else type_.of_type
    return (named, nullable) if is_leaf_type(named) else None


def _root(schema: GraphQLSchema, document: DocumentNode) -> FieldNode | None:
    """The one root field of ``document``'s one query, when nothing else is there."""
    operation = document.definitions[0] if len(document.definitions) == 1 else None
    if (
        not isinstance(operation, OperationDefinitionNode)
        or operation.operation != OperationType.QUERY
        or schema.query_type is None
        or operation.directives
        or any(variable.directives for variable in operation.variable_definitions or ())
        or len(operation.selection_set.selections) != 1
    ):
        return None
    node = operation.selection_set.selections[0]
    return node if isinstance(node, FieldNode) and not node.directives else None


def _leaves(object_type: GraphQLObjectType, node: FieldNode) -> tuple[Leaf, ...] | None:
    """The plain leaf fields ``node`` selects of ``object_type``, each key once."""
    if node.selection_set is None:
        return None
    leaves: list[Leaf] = []
    for selection in node.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives or selection.arguments:
            return None
        name = selection.name.value
        key = selection.alias.value if selection.alias else name
        if name == "__typename":
            leaves.append(Leaf(key, None, GraphQLString, nullable=False))
            continue
        field = object_type.fields.get(name)
        found = None if field is None else _leaf(field.type)
        read = None if field is None else _plain(field)
        if found is None or read is None:
            return None
        leaves.append(Leaf(key, read, found[0], nullable=found[1]))
    # The same key twice is one field to graphql-core, merged.
    return tuple(leaves) if len({leaf.key for leaf in leaves}) == len(leaves) else None


def plan(schema: GraphQLSchema, document: DocumentNode) -> Plan | None:
    """The plan of a valid ``document``, or None when graphql-core's walk must answer it."""
    node = _root(schema, document)
    query = schema.query_type
    field = None if node is None or query is None else query.fields.get(node.name.value)
    # No field: __typename, __schema; no resolver: graphql-core's default (strawberry
    # gives every root field one).
    if node is None or query is None or field is None or field.resolve is None:
        return None
    nullable = not isinstance(field.type, GraphQLNonNull)
    named = field.type if nullable else field.type.of_type
    key = node.alias.value if node.alias else node.name.value
    if is_leaf_type(named):
        if node.selection_set is not None:
            return None
        return Plan(node, key, field, field.resolve, query, named, None, (), nullable=nullable)
    leaves = _leaves(named, node) if isinstance(named, GraphQLObjectType) else None
    if leaves is None:
        return None
    return Plan(node, key, field, field.resolve, query, None, named, leaves, nullable=nullable)


class _Irregular(Exception):
    """The value needs graphql-core's completion (an error, or a null it spreads)."""


def _serialised(type_: GraphQLLeafType, nullable: bool, value: Any) -> Any:
    if value is None:
        if nullable:
            return None
        raise _Irregular
    serialised = type_.serialize(value)
    if serialised is None or serialised is Undefined:
        raise _Irregular
    return serialised


def _complete(plan: Plan, info: GraphQLResolveInfo[Any], value: Any) -> Any:
    """The root field's answer as graphql-core completes a regular value."""
    if plan.leaf_type is not None:
        return _serialised(plan.leaf_type, plan.nullable, value)
    if value is None:
        if plan.nullable:
            return None
        raise _Irregular
    object_type = plan.object_type
    if object_type is None:
        raise _Irregular
    if object_type.is_type_of is not None and object_type.is_type_of(value, info) is not True:
        raise _Irregular
    answer: dict[str, Any] = {}
    for leaf in plan.leaves:
        if leaf.read is None:
            answer[leaf.key] = object_type.name
        else:
            answer[leaf.key] = _serialised(leaf.type, leaf.nullable, leaf.read(value, None))
    return answer


class _Replay:
    """A graphql-core middleware that gives the root field the outcome its resolver had
    (a value or an exception) instead of calling the resolver again."""

    def __init__(self, key: str, value: Any, error: Exception | None) -> None:
        self.key = key
        self.value = value
        self.error = error

    def resolve(
        self, next_: Resolver, root: Any, info: GraphQLResolveInfo[Any], **args: Any
    ) -> Any:
        if info.path.prev is None and info.path.key == self.key:
            if self.error is not None:
                raise self.error
            return self.value
        return next_(root, info, **args)


def _untie(executor: Executor[Any]) -> None:
    """Untie graphql-core's executor from itself once it has done its work.

    Its ``async_helpers`` hold methods bound to it: a reference cycle per request,
    through which the request's context (its request, response, principal) outlives the
    request until the cyclic collector runs, some 47 objects a request, a collection
    every 15 requests. Untied, they go when the request does. Nothing reads the
    helpers once the operation is answered (only resolvers, an abstract type's
    ``is_type_of`` and incremental delivery, which the schema does not offer)."""
    vars(executor).pop("async_helpers", None)


class Execution(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, untied (:func:`_untie`) once it has answered."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        answered = super().execute_operation(serially)
        if isinstance(answered, ExecutionResult):
            _untie(self)
            return answered
        if not self.is_awaitable(answered):
            return answered  # incremental results: later payloads still need the helpers
        return self._untied(answered)

    async def _untied(self, answered: Awaitable[Any]) -> Any:
        result = await answered
        if isinstance(result, ExecutionResult):
            _untie(self)
        return result


async def execute(
    plan: Plan | None,
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    executor_class: type[Executor[Any]],
    context_value: Any,
    variable_values: dict[str, Any] | None,
    operation_name: str | None,
    is_awaitable: Callable[[Any], bool],
    **custom: Any,
) -> ExecutionResult:
    """``document``'s answer as graphql-core's ``execute`` gives it: by its ``plan`` when
    it has one, else by graphql-core's walk."""
    walk = {
        "context_value": context_value,
        "variable_values": variable_values,
        "operation_name": operation_name,
        "executor_class": executor_class,
        "is_awaitable": is_awaitable,
        **custom,
    }
    if plan is None:
        return await _walked(schema, document, None, walk)
    executor = executor_class.build(
        schema,
        document,
        None,
        context_value,
        variable_values,
        operation_name,
        is_awaitable=is_awaitable,  # type: ignore[arg-type]
        **custom,
    )
    if isinstance(executor, list):
        return ExecutionResult(None, errors=executor)
    info = executor.build_resolve_info(
        plan.field, [plan.node], plan.parent, Path(None, plan.key, plan.parent.name)
    )
    value: Any = None
    error: Exception | None = None
    try:
        args = (
            get_argument_values(
                plan.field,
                plan.node,
                executor.variable_values,
                None,
                executor.hide_suggestions,
            )
            if plan.field.args or plan.node.arguments
            else {}
        )
        value = plan.resolve(None, info, **args)
        if is_awaitable(value):
            value = await value
    except Exception as exc:  # noqa: BLE001 - graphql-core locates and reports it
        error = exc
    finally:
        _untie(executor)
    if error is None:
        try:
            return ExecutionResult({plan.key: _complete(plan, info, value)}, errors=None)
        except Exception:  # noqa: BLE001, S110 - graphql-core completes it again, and says why
            pass
    return await _walked(schema, document, [_Replay(plan.key, value, error)], walk)


async def _walked(
    schema: GraphQLSchema,
    document: DocumentNode,
    middleware: list[Any] | None,
    walk: dict[str, Any],
) -> ExecutionResult:
    """graphql-core's own answer (``walk``: :func:`execute`'s arguments)."""
    answered = graphql_execute(schema, document, middleware=middleware, **walk)
    if isinstance(answered, Awaitable):
        answered = await answered
    return answered
