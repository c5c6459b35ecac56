"""The GraphQL schema: every capability's queries and mutations, merged, with the
schema's extensions.

Each capability keeps its GraphQL in ``graph_engine/api/<capability>.py`` (or a
package of that name). Every resolver acts as the caller (``await ctx.caller()``)
except the public ones (``login``, ``signUp``, ``activateAccount``, and
``submitApplication`` when sent without a token). Maintenance windows are enforced in
``ctx.caller()`` and ``login``, never in a resolver. Errors are raised as
:class:`graph_engine.errors.GraphEngineError` and formatted in one place
(:mod:`graph_engine.api.errors`).

The capabilities' types are combined one way, with :func:`strawberry.tools.merge_types`
over a flat list, never by inheriting one capability's type in another's: each
capability stays independent of the others, the list below is the whole of ``Query``
and ``Mutation`` in one place, and a field name defined twice is a warning (an error
in the tests) instead of one capability silently overriding another. The list's order
is the order of the fields in ``schema.graphql``; it is kept as it was so the schema
clients see does not change, which is why some capabilities contribute two parts.
"""

from __future__ import annotations

import functools
from typing import Any

import strawberry
from graphql import ASTValidationRule, GraphQLError, specified_rules
from strawberry.extensions import DisableIntrospection
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph_engine.api.alerts import AlertMutation, AlertQuery
from graph_engine.api.audit import AuditQuery, audit_mutations
from graph_engine.api.documents import Documents, KeptDocuments
from graph_engine.api.errors import HttpStatus, ValidationCodes
from graph_engine.api.explorer import ExplorerQuery
from graph_engine.api.identity import IdentityMutation, IdentityQuery, SignUpQuery
from graph_engine.api.limits import Limits, RequestLimits
from graph_engine.api.mail import MailMutation, MailQuery
from graph_engine.api.maintenance import MaintenanceMutation, MaintenanceQuery
from graph_engine.api.nodes import NodeQuery
from graph_engine.api.observe import Observe
from graph_engine.api.offboarding import OffboardingMutation, OffboardingQuery
from graph_engine.api.ownership import OwnershipMutation, OwnershipQuery
from graph_engine.api.partnerships import (
    PartnershipMutation,
    PartnershipQuery,
    ProposalMutation,
    ProposalQuery,
)
from graph_engine.api.plans import Execution
from graph_engine.api.provisioning import ProvisioningMutation, ProvisioningQuery
from graph_engine.api.relations import RelationMutation, RelationQuery
from graph_engine.api.testclock import TestClockMutation, TestClockQuery

# In the order of the fields in schema.graphql (see the module docstring).
QUERIES: tuple[type, ...] = (
    RelationQuery,
    ProvisioningQuery,
    PartnershipQuery,
    MaintenanceQuery,
    IdentityQuery,
    AuditQuery,
    SignUpQuery,
    MailQuery,
    ProposalQuery,
    OffboardingQuery,
    ExplorerQuery,
    OwnershipQuery,
    TestClockQuery,
    AlertQuery,
    NodeQuery,
)
MUTATIONS: tuple[type, ...] = (
    RelationMutation,
    MaintenanceMutation,
    ProvisioningMutation,
    PartnershipMutation,
    IdentityMutation,
    ProposalMutation,
    OffboardingMutation,
    OwnershipMutation,
    TestClockMutation,
    AlertMutation,
    MailMutation,
)


class EngineNames(NameConverter):
    """strawberry's names, each Python name turned into GraphQL's once: strawberry asks
    again for every argument of every resolved field (its argument conversion)."""

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one converter, kept for the process
    def apply_naming_config(self, name: str) -> str:
        return super().apply_naming_config(name)


class EngineSchema(strawberry.Schema):
    # Parsed and validated documents, shared by the whole way and the direct path.
    documents: Documents

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log nothing here: :func:`graph_engine.api.errors.format_error` logs the unexpected."""


def build_schema(limits: Limits | None = None, *, tracing: bool = False) -> EngineSchema:
    """The schema with the request limits and its documents kept (DESIGN §4).

    The limits' extension comes first: it gives the parser its token limit. Parsed and
    validated documents are kept by :class:`graph_engine.api.documents.Documents`, within
    a budget of characters (strawberry's caches count entries, each up to 2 MB). With
    ``tracing``, strawberry's OpenTelemetry extension makes parse, validate and every
    resolver a span (only then: it costs something per field).
    """
    limits = limits or Limits()
    rules: list[type[ASTValidationRule]] = list(specified_rules)
    kept: list[Documents] = []  # filled once the schema exists (the documents need it)
    extensions: list[Any] = [
        lambda: RequestLimits(limits=limits),
        HttpStatus,
        ValidationCodes,
        Observe,
        # A factory: strawberry builds the extensions per request; the documents are
        # the schema's, shared by every request.
        lambda: KeptDocuments(documents=kept[0]),
    ]
    if not limits.introspection:
        extensions.append(DisableIntrospection)
        rules.extend(DisableIntrospection().validation_rules)
    if tracing:
        extensions.append(OpenTelemetryExtension)
    served = EngineSchema(
        query=merge_types("Query", QUERIES),
        mutation=audit_mutations(merge_types("Mutation", MUTATIONS)),
        extensions=extensions,
        execution_context_class=Execution,
        config=StrawberryConfig(name_converter=EngineNames()),
    )
    served.documents = Documents(
        served._schema,  # noqa: SLF001
        rules,
        limits.max_tokens,
        max_repeats=limits.max_repeats,
    )
    kept.append(served.documents)
    return served


schema = build_schema()

# Named although the root types have their default names, so that no tool infers a root:
# a schema without this block lets a type called `Subscription` become the subscription
# root (GraphQL spec, "Default Root Operation Type Names"). The server has no subscriptions.
_ROOTS = "schema {\n  query: Query\n  mutation: Mutation\n}\n\n"


def sdl(served: strawberry.Schema = schema) -> str:
    """The schema as SDL (``schema.graphql``), opening with its explicit roots."""
    return _ROOTS + served.as_str() + "\n"
