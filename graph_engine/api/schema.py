"""The GraphQL schema: queries and mutations, each a thin call into a service.

Every resolver acts as the caller (``await ctx.caller()``) except the public
ones (``login``, ``signUp``, ``activateAccount``, and ``submitApplication``
when sent without a token). Maintenance windows are enforced in
``ctx.caller()`` and ``login``, never in a resolver. Errors are raised as
:class:`graph_engine.errors.GraphEngineError` and formatted in one place
(:mod:`graph_engine.api.errors`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, ParserCache, ValidationCache
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph_engine import telemetry
from graph_engine.api.alerts import AlertMutation, AlertQuery
from graph_engine.api.audit import audit_mutations
from graph_engine.api.context import Info
from graph_engine.api.errors import HttpStatus, ValidationCodes
from graph_engine.api.explorer import ExplorerQuery
from graph_engine.api.identity import IdentityMutation, IdentityQuery
from graph_engine.api.limits import Limits, RequestLimits
from graph_engine.api.maintenance import (
    Application,
    MaintenanceStatus,
    MaintenanceWindow,
)
from graph_engine.api.nodes import NodeQuery
from graph_engine.api.observe import Observe
from graph_engine.api.offboarding import OffboardingMutation, OffboardingQuery
from graph_engine.api.ownership import OwnershipMutation, OwnershipQuery
from graph_engine.api.partnerships import ProposalMutation, ProposalQuery
from graph_engine.api.relations import RelationMutation, RelationQuery
from graph_engine.api.testclock import TestClockMutation, TestClockQuery
from graph_engine.api.types import (
    Acceptance,
    After,
    AuthorizationRequest,
    Before,
    Connection,
    ConnectPayload,
    Decision,
    Environment,
    First,
    Invitation,
    Last,
    MissingConnection,
    Organisation,
    Partnership,
    RelationshipManagerPayload,
    User,
    page,
    window,
)
from graph_engine.api.types import Access as AccessType
from graph_engine.model import Billing, RequestStatus, Role


@strawberry.input
class CreateEnvironmentInput:
    name: str
    email_domain: str
    billing: Billing = strawberry.field(
        default=Billing.PER_PROCESSED_HOUR,
        description=(
            "PER_LICENCE: a user logs in only with a licence assigned (DESIGN §3.2);"
            " PER_PROCESSED_HOUR (the default): no licences needed."
        ),
    )
    seat_limit: int | None = None


@strawberry.input
class CreateUserInput:
    environment_id: strawberry.ID
    email: str
    name: str
    role: Role = Role.USER
    password: str | None = None
    username: str | None = None


@strawberry.type
class Query(RelationQuery):
    @strawberry.field(description="The caller.")
    async def me(self, info: Info) -> User:
        caller = await info.context.caller()
        return User.of(await info.context.engine.provisioning.me(caller))

    @strawberry.field
    async def environment(self, info: Info, id: strawberry.ID) -> Environment:  # noqa: A002
        ctx = info.context
        return Environment.of(await ctx.engine.provisioning.environment(await ctx.caller(), id))

    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID) -> User:  # noqa: A002
        ctx = info.context
        return User.of(await ctx.engine.provisioning.user(await ctx.caller(), id))

    @strawberry.field
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation:  # noqa: A002
        ctx = info.context
        return Organisation.of(await ctx.engine.provisioning.organisation(await ctx.caller(), id))

    @strawberry.field
    async def partnership(self, info: Info, id: strawberry.ID) -> Partnership:  # noqa: A002
        ctx = info.context
        return Partnership.of(await ctx.engine.partnerships.partnership(await ctx.caller(), id))

    @strawberry.field(description="The caller's authorization requests, received or sent.")
    async def authorization_requests(
        self,
        info: Info,
        *,
        incoming: bool = True,
        status: RequestStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuthorizationRequest]:
        ctx = info.context
        found = await ctx.engine.partnerships.authorization_requests(
            await ctx.caller(), incoming, status, window(first, after, last, before)
        )
        return page([AuthorizationRequest.of(r) for r in found.items], found)

    @strawberry.field(description="The caller's invitations, received or sent.")
    async def invitations(
        self,
        info: Info,
        *,
        incoming: bool = True,
        status: RequestStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Invitation]:
        ctx = info.context
        found = await ctx.engine.partnerships.invitations(
            await ctx.caller(), incoming, status, window(first, after, last, before)
        )
        return page([Invitation.of(i) for i in found.items], found)

    @strawberry.field(description="The users connected with a user (default: the caller).")
    async def connections(
        self,
        info: Info,
        *,
        user_id: strawberry.ID | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        ctx = info.context
        found = await ctx.engine.partnerships.connections(
            await ctx.caller(), user_id, window(first, after, last, before)
        )
        return page([User.of(u) for u in found.items], found)

    @strawberry.field(
        description="May the inviter (default: the caller) invite the invitee to the organisation?"
    )
    async def can_invite(
        self,
        info: Info,
        invitee_id: strawberry.ID,
        organisation_id: strawberry.ID,
        inviter_id: strawberry.ID | None = None,
    ) -> Decision:
        ctx = info.context
        partnerships = ctx.engine.partnerships
        # The common question (the caller as inviter) takes one round trip with the login.
        found = None
        if inviter_id is None:
            found = await ctx.caller_with(
                lambda token_hash: partnerships.can_invite_in_session(
                    token_hash, invitee_id, organisation_id
                )
            )
        if found is not None:
            decision = found[1]
        else:
            decision = await partnerships.can_invite(
                await ctx.caller(), invitee_id, organisation_id, inviter_id
            )
        telemetry.DECISIONS.labels(decision.code).inc()
        return Decision.of(decision)

    @strawberry.field(description="Exactly the users the caller may invite to the organisation.")
    async def invite_candidates(
        self,
        info: Info,
        *,
        organisation_id: strawberry.ID,
        search: str | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        ctx = info.context
        partnerships = ctx.engine.partnerships
        fused = await ctx.caller_with(
            lambda token_hash: partnerships.invite_candidates_in_session(
                token_hash, organisation_id, search, window(first, after, last, before)
            )
        )
        if fused is not None:
            found = fused[1]
        else:
            found = await partnerships.invite_candidates(
                await ctx.caller(), organisation_id, search, window(first, after, last, before)
            )
        return page([User.of(u) for u in found.items], found)

    @strawberry.field(description="Pairs the connection rules require and the graph lacks.")
    async def missing_connections(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[MissingConnection]:
        ctx = info.context
        found = await ctx.engine.partnerships.missing_connections(
            await ctx.caller(), environment_id, window(first, after, last, before)
        )
        return page([MissingConnection.of(m) for m in found.items], found)

    @strawberry.field(description="Maintenance of the caller's environment: countdown or banner.")
    async def maintenance_status(self, info: Info) -> MaintenanceStatus:
        ctx = info.context
        caller = await ctx.caller()  # read in this request, with its window
        return MaintenanceStatus.of(await ctx.engine.maintenance.status(caller, fresh=True))


@strawberry.type
class Mutation(RelationMutation):
    # -- maintenance ------------------------------------------------------------------
    @strawberry.mutation(
        description=(
            "Schedule a maintenance window at least 10 minutes ahead (ADMIN, CONSULTANT);"
            " expectedEndAt, an estimate, is told to the locked out (Retry-After)."
        )
    )
    async def schedule_maintenance(
        self,
        info: Info,
        environment_id: strawberry.ID,
        starts_at: datetime,
        expected_end_at: datetime | None = None,
    ) -> MaintenanceWindow:
        ctx = info.context
        window = await ctx.engine.maintenance.schedule(
            await ctx.caller(), environment_id, starts_at, expected_end_at
        )
        return MaintenanceWindow.of(window)

    @strawberry.mutation(description="End (or cancel) the open maintenance window, by hand.")
    async def end_maintenance(self, info: Info, environment_id: strawberry.ID) -> MaintenanceWindow:
        ctx = info.context
        window = await ctx.engine.maintenance.end(await ctx.caller(), environment_id)
        return MaintenanceWindow.of(window)

    @strawberry.mutation(
        description="Record that the caller saw the one-time warning; true only the first time."
    )
    async def acknowledge_maintenance_warning(self, info: Info) -> bool:
        ctx = info.context
        return await ctx.engine.maintenance.acknowledge_warning(await ctx.caller())

    @strawberry.mutation(
        description=(
            "Send a job application: public without a token, or pushed by an integration key"
            " bound to the environment. Works during maintenance, except for integrations."
        )
    )
    async def submit_application(
        self, info: Info, environment_id: strawberry.ID, name: str, email: str
    ) -> Application:
        ctx = info.context
        caller = await ctx.caller() if ctx.token else None
        found = await ctx.engine.maintenance.submit_application(caller, environment_id, name, email)
        return Application.of(found)

    # -- provisioning ---------------------------------------------------------------
    @strawberry.mutation
    async def create_environment(self, info: Info, input: CreateEnvironmentInput) -> Environment:  # noqa: A002
        ctx = info.context
        env = await ctx.engine.provisioning.create_environment(
            await ctx.caller(), input.name, input.email_domain, input.billing, input.seat_limit
        )
        return Environment.of(env)

    @strawberry.mutation(description="Add a user; an environment's first user becomes its ADMIN.")
    async def create_user(self, info: Info, input: CreateUserInput) -> User:  # noqa: A002
        ctx = info.context
        user = await ctx.engine.provisioning.create_user(
            await ctx.caller(),
            environment_id=input.environment_id,
            email=input.email,
            name=input.name,
            role=input.role,
            password=input.password,
            username=input.username,
        )
        return User.of(user)

    @strawberry.mutation
    async def create_organisation(
        self, info: Info, environment_id: strawberry.ID, name: str
    ) -> Organisation:
        ctx = info.context
        org = await ctx.engine.provisioning.create_organisation(
            await ctx.caller(), environment_id, name
        )
        return Organisation.of(org)

    @strawberry.mutation(description="Give a user of the organisation's environment access.")
    async def grant_access(
        self,
        info: Info,
        user_id: strawberry.ID,
        organisation_id: strawberry.ID,
        role: Role = Role.USER,
    ) -> AccessType:
        ctx = info.context
        access = await ctx.engine.provisioning.grant_access(
            await ctx.caller(), user_id, organisation_id, role
        )
        return AccessType.of(access)

    @strawberry.mutation
    async def revoke_access(
        self, info: Info, user_id: strawberry.ID, organisation_id: strawberry.ID
    ) -> bool:
        ctx = info.context
        return await ctx.engine.provisioning.revoke_access(
            await ctx.caller(), user_id, organisation_id
        )

    @strawberry.mutation
    async def set_user_role(
        self,
        info: Info,
        user_id: strawberry.ID,
        role: Role,
    ) -> User:
        ctx = info.context
        return User.of(
            await ctx.engine.provisioning.set_user_role(await ctx.caller(), user_id, role)
        )

    # -- partnerships ---------------------------------------------------------------
    @strawberry.mutation(
        description=(
            "Partner the environments of two users at once (operators only; everyone else"
            " proposes, and the other side consents: proposePartnership)."
        )
    )
    async def create_partnership(
        self,
        info: Info,
        partner_user_id: strawberry.ID,
        user_id: strawberry.ID,
    ) -> Partnership:
        ctx = info.context
        found = await ctx.engine.partnerships.create_partnership(
            await ctx.caller(), partner_user_id, user_id
        )
        return Partnership.of(found)

    @strawberry.mutation
    async def send_authorization_request(
        self,
        info: Info,
        recipient_id: strawberry.ID,
        organisation_id: strawberry.ID,
        software: str,
    ) -> AuthorizationRequest:
        ctx = info.context
        request = await ctx.engine.partnerships.send_authorization_request(
            await ctx.caller(), recipient_id, organisation_id, software
        )
        return AuthorizationRequest.of(request)

    @strawberry.mutation(description="Accept a request (idempotent: repairs what is missing).")
    async def accept_authorization_request(
        self, info: Info, request_id: strawberry.ID
    ) -> Acceptance:
        ctx = info.context
        acceptance = await ctx.engine.partnerships.accept_authorization_request(
            await ctx.caller(), request_id
        )
        return Acceptance.of(acceptance)

    @strawberry.mutation
    async def decline_authorization_request(
        self, info: Info, request_id: strawberry.ID
    ) -> AuthorizationRequest:
        ctx = info.context
        request = await ctx.engine.partnerships.decline_authorization_request(
            await ctx.caller(), request_id
        )
        return AuthorizationRequest.of(request)

    @strawberry.mutation
    async def set_relationship_manager(
        self, info: Info, user_id: strawberry.ID, enabled: bool
    ) -> RelationshipManagerPayload:
        ctx = info.context
        user, connected = await ctx.engine.partnerships.set_relationship_manager(
            await ctx.caller(), user_id, enabled
        )
        return RelationshipManagerPayload(
            user=User.of(user), connected_user_ids=[strawberry.ID(u) for u in connected]
        )

    @strawberry.mutation(description="Connect two users of partnered environments.")
    async def connect(
        self, info: Info, user_id: strawberry.ID, peer_id: strawberry.ID
    ) -> ConnectPayload:
        ctx = info.context
        created = await ctx.engine.partnerships.connect(await ctx.caller(), user_id, peer_id)
        return ConnectPayload(created=created)

    @strawberry.mutation(description="Connect every missing pair of a partnership; returns them.")
    async def repair_connections(
        self, info: Info, partnership_id: strawberry.ID
    ) -> list[MissingConnection]:
        ctx = info.context
        repaired = await ctx.engine.partnerships.repair_connections(
            await ctx.caller(), partnership_id
        )
        return [MissingConnection.of(m) for m in repaired]

    # -- invitations ----------------------------------------------------------------
    @strawberry.mutation(
        description="Invite (same environment: access at once; partner: pending until accepted)."
    )
    async def invite(
        self,
        info: Info,
        invitee_id: strawberry.ID,
        organisation_id: strawberry.ID,
        role: Role = Role.USER,
    ) -> Invitation:
        ctx = info.context
        found = await ctx.engine.partnerships.invite(
            await ctx.caller(), invitee_id, organisation_id, role
        )
        return Invitation.of(found)

    @strawberry.mutation
    async def accept_invitation(self, info: Info, invitation_id: strawberry.ID) -> Invitation:
        ctx = info.context
        found = await ctx.engine.partnerships.accept_invitation(await ctx.caller(), invitation_id)
        return Invitation.of(found)

    @strawberry.mutation
    async def decline_invitation(self, info: Info, invitation_id: strawberry.ID) -> Invitation:
        ctx = info.context
        found = await ctx.engine.partnerships.decline_invitation(await ctx.caller(), invitation_id)
        return Invitation.of(found)


class EngineSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log nothing here: :func:`graph_engine.api.errors.format_error` logs the unexpected."""


def build_schema(limits: Limits | None = None, *, tracing: bool = False) -> strawberry.Schema:
    """The schema with the request limits and the parser and validation caches on (DESIGN §4).

    The limits' extension comes first: it gives the parser its token limit. With
    ``tracing``, strawberry's OpenTelemetry extension makes parse, validate and every
    resolver a span (only then: it costs something per field).
    """
    limits = limits or Limits()
    extensions: list[Any] = [
        lambda: RequestLimits(limits=limits),
        HttpStatus,
        ValidationCodes,
        Observe,
        # Factories: strawberry builds the extensions per request, and both keep
        # their LRU cache at module level, so parsed and validated documents are
        # shared by every request.
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ]
    if not limits.introspection:
        extensions.append(DisableIntrospection)
    if tracing:
        extensions.append(OpenTelemetryExtension)
    return EngineSchema(
        query=merge_types(
            "Query",
            (
                Query,
                IdentityQuery,
                ProposalQuery,
                OffboardingQuery,
                ExplorerQuery,
                OwnershipQuery,
                TestClockQuery,
                AlertQuery,
                NodeQuery,
            ),
        ),
        mutation=audit_mutations(
            merge_types(
                "Mutation",
                (
                    Mutation,
                    IdentityMutation,
                    ProposalMutation,
                    OffboardingMutation,
                    OwnershipMutation,
                    TestClockMutation,
                    AlertMutation,
                ),
            )
        ),
        extensions=extensions,
    )


schema = build_schema()

# Named although the root types have their default names, so that no tool infers a root:
# a schema without this block lets a type called `Subscription` become the subscription
# root (GraphQL spec, "Default Root Operation Type Names"). The server has no subscriptions.
_ROOTS = "schema {\n  query: Query\n  mutation: Mutation\n}\n\n"


def sdl(served: strawberry.Schema = schema) -> str:
    """The schema as SDL (``schema.graphql``), opening with its explicit roots."""
    return _ROOTS + served.as_str() + "\n"
