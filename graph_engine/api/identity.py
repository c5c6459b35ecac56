"""GraphQL for identity: login, sessions, passwords, account activation, sign-ups and
machine keys.

Its queries are two classes, because the schema keeps its field order
(:mod:`graph_engine.api.schema`) and audit's ``auditLog`` comes between ``apiKeys``
and ``signUps``.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model, telemetry
from graph_engine.api.context import Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window
from graph_engine.api.types import User
from graph_engine.errors import GraphEngineError, TooManyAttempts, Unauthenticated
from graph_engine.model import Principal, PrincipalKind

strawberry.enum(model.PrincipalKind)


@strawberry.type(description="A login of the caller's, open until it ends.")
class Session:
    id: strawberry.ID
    created_at: datetime
    last_seen_at: datetime = strawberry.field(description="Last use, to the minute.")
    current: bool = strawberry.field(description="Whether this request came with it.")

    @classmethod
    def of(cls, s: model.Session, current: str | None) -> Session:
        return cls(
            id=strawberry.ID(s.id),
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            current=s.id == current,
        )


@strawberry.type(description="A machine principal's key (the key itself is never shown again).")
class ApiKey:
    id: strawberry.ID
    kind: model.PrincipalKind
    name: str
    environment_id: strawberry.ID | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None = strawberry.field(description="Last use, to the minute.")
    revoked_at: datetime | None

    @classmethod
    def of(cls, k: model.ApiKey) -> ApiKey:
        return cls(
            id=strawberry.ID(k.id),
            kind=k.kind,
            name=k.name,
            environment_id=None if k.environment_id is None else strawberry.ID(k.environment_id),
            created_at=k.created_at,
            expires_at=k.expires_at,
            # Written at most once a minute, so shown to the minute (not to the microsecond
            # of the request that happened to write it).
            last_used_at=None
            if k.last_used_at is None
            else k.last_used_at.replace(second=0, microsecond=0),
            revoked_at=k.revoked_at,
        )


@strawberry.type
class ApiKeyPayload:
    id: strawberry.ID
    kind: model.PrincipalKind
    key: str = strawberry.field(description="Shown once; only its hash is stored.")
    expires_at: datetime | None


@strawberry.type
class LoginPayload:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'.")
    user: User


@strawberry.type(
    description=(
        "Signing up answers the same for every address: a confirmation code was mailed"
        " (or, for an address with an account, a notice to its owner)."
    )
)
class SignUpPayload:
    email: str
    expires_at: datetime = strawberry.field(description="Until when the mailed code works.")
    message: str


@strawberry.type(description="A sign-up waiting for its address to be proven or an ADMIN.")
class SignUp:
    id: strawberry.ID
    email: str
    name: str
    environment_id: strawberry.ID | None
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, s: model.SignUp) -> SignUp:
        return cls(
            id=strawberry.ID(s.id),
            email=s.email,
            name=s.name,
            environment_id=None if s.environment_id is None else strawberry.ID(s.environment_id),
            created_at=s.created_at,
            expires_at=s.expires_at,
        )


@strawberry.type
class ActivationTokenPayload:
    user_id: strawberry.ID
    token: str = strawberry.field(
        description="Shown once; only its hash is stored. Valid for 7 days, for one use."
    )


@strawberry.type
class PasswordChange:
    ended_sessions: int = strawberry.field(description="Your other sessions, now ended.")


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="The caller's open sessions.")
    async def my_sessions(
        self,
        info: Info,
        *,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Session]:
        ctx = info.context
        caller = await ctx.caller()
        found = await ctx.engine.identity.my_sessions(caller, window(first, after, last, before))
        return page([Session.of(s, caller.session_id) for s in found.items], found)

    @strawberry.field(
        description="Machine keys: an environment's (its ADMINs), or every key (operators)."
    )
    async def api_keys(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ApiKey]:
        ctx = info.context
        found = await ctx.engine.keys.keys(
            await ctx.caller(), environment_id, window(first, after, last, before)
        )
        return page([ApiKey.of(k) for k in found.items], found)


@strawberry.type
class SignUpQuery:
    @strawberry.field(description="Pending sign-ups to an environment, for its ADMINs.")
    async def sign_ups(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SignUp]:
        ctx = info.context
        found = await ctx.engine.signups.sign_ups(
            await ctx.caller(), environment_id, window(first, after, last, before)
        )
        return page([SignUp.of(s) for s in found.items], found)


@strawberry.type
class IdentityMutation:
    # -- login and sessions -------------------------------------------------------------
    @strawberry.mutation(
        description=(
            "Log in; returns a bearer token. Failed logins slow the next ones down (HTTP 429,"
            " TOO_MANY_ATTEMPTS, Retry-After)."
        )
    )
    async def login(self, info: Info, email: str, password: str) -> LoginPayload:
        ctx = info.context
        try:
            token, user = await ctx.engine.identity.login(email, password, ctx.client)
        except TooManyAttempts:
            telemetry.LOGINS.labels("throttled").inc()
            raise
        except Unauthenticated as exc:
            telemetry.LOGINS.labels("refused" if exc.details else "failed").inc()
            raise
        except GraphEngineError:
            telemetry.LOGINS.labels("refused").inc()
            raise
        telemetry.LOGINS.labels("ok").inc()
        # The rest of this request (the payload's nested fields) sees what the new
        # session's user sees.
        ctx.act_as(Principal.of_user(user))
        return LoginPayload(token=token, user=User.of(user))

    @strawberry.mutation(description="End the caller's session.")
    async def logout(self, info: Info) -> bool:
        ctx = info.context
        return await ctx.engine.identity.logout(await ctx.caller(), ctx.token or "")

    @strawberry.mutation(description="End one of the caller's sessions; false if none such.")
    async def end_session(self, info: Info, session_id: strawberry.ID) -> bool:
        ctx = info.context
        return await ctx.engine.identity.end_my_session(await ctx.caller(), session_id)

    @strawberry.mutation(description="End every session of a user (ADMIN of their environment).")
    async def end_user_sessions(self, info: Info, user_id: strawberry.ID) -> int:
        ctx = info.context
        return await ctx.engine.identity.end_user_sessions(await ctx.caller(), user_id)

    # -- passwords ----------------------------------------------------------------------
    @strawberry.mutation(description="Change your password; your other sessions end.")
    async def change_password(
        self, info: Info, current_password: str, new_password: str
    ) -> PasswordChange:
        ctx = info.context
        ended = await ctx.engine.identity.change_password(
            await ctx.caller(), current_password, new_password, ctx.client
        )
        return PasswordChange(ended_sessions=ended)

    @strawberry.mutation(
        description=(
            "Mail a one-time reset code to the address if it has an account; the answer is"
            " always true."
        )
    )
    async def request_password_reset(self, info: Info, email: str) -> bool:
        await info.context.engine.identity.request_password_reset(email, info.context.client)
        return True

    @strawberry.mutation(
        description="Set a new password with a mailed reset code; every session ends."
    )
    async def reset_password(self, info: Info, token: str, password: str) -> User:
        user = await info.context.engine.identity.reset_password(token, password)
        info.context.act_as(Principal.of_user(user))
        return User.of(user)

    @strawberry.mutation(
        description="A one-time activation token for a user created without a password (ADMIN)."
    )
    async def create_activation_token(
        self, info: Info, user_id: strawberry.ID
    ) -> ActivationTokenPayload:
        ctx = info.context
        token = await ctx.engine.identity.create_activation_token(await ctx.caller(), user_id)
        return ActivationTokenPayload(user_id=user_id, token=token)

    @strawberry.mutation(
        description="Set the first password with an activation token (public, even in maintenance)."
    )
    async def activate_account(self, info: Info, token: str, password: str) -> User:
        user = await info.context.engine.identity.activate_account(token, password)
        info.context.act_as(Principal.of_user(user))
        return User.of(user)

    # -- machine keys -------------------------------------------------------------------
    @strawberry.mutation(
        description=(
            "A key for a machine principal: operators any kind; an environment's ADMIN its"
            " INTEGRATION and BACKOFFICE keys. Optional end: expiresAt."
        )
    )
    async def create_api_key(
        self,
        info: Info,
        kind: PrincipalKind,
        name: str,
        environment_id: strawberry.ID | None = None,
        expires_at: datetime | None = None,
    ) -> ApiKeyPayload:
        ctx = info.context
        caller = await ctx.caller()
        await ctx.engine.keys.check_create(caller, kind, environment_id)
        key_id, key = await ctx.engine.identity.issue_api_key(
            kind, name, environment_id, expires_at
        )
        return ApiKeyPayload(id=strawberry.ID(key_id), kind=kind, key=key, expires_at=expires_at)

    @strawberry.mutation(description="Revoke a key: it fails from the next request on.")
    async def revoke_api_key(self, info: Info, key_id: strawberry.ID) -> ApiKey:
        ctx = info.context
        return ApiKey.of(await ctx.engine.keys.revoke(await ctx.caller(), key_id))

    @strawberry.mutation(description="Replace a key by a new one (shown once); the old one ends.")
    async def rotate_api_key(self, info: Info, key_id: strawberry.ID) -> ApiKeyPayload:
        ctx = info.context
        made, key = await ctx.engine.keys.rotate(await ctx.caller(), key_id)
        return ApiKeyPayload(
            id=strawberry.ID(made.id), kind=made.kind, key=key, expires_at=made.expires_at
        )

    # -- sign-ups -----------------------------------------------------------------------
    @strawberry.mutation(
        description=(
            "Sign up: a confirmation code is mailed to the address; verifySignUp with it and"
            " the same password makes the account (joining the domain's environment as USER,"
            " or founding it as ADMIN). The answer is the same for every address."
        )
    )
    async def sign_up(self, info: Info, email: str, name: str, password: str) -> SignUpPayload:
        receipt = await info.context.engine.signups.sign_up(
            email, name, password, info.context.client
        )
        return SignUpPayload(
            email=receipt.email,
            expires_at=receipt.expires_at,
            message=(
                f"A confirmation code is on its way to {receipt.email}; confirm with it and"
                " your password (verifySignUp). Until then there is no account."
            ),
        )

    @strawberry.mutation(
        description="Prove the address with the mailed code and the password chosen at sign-up."
    )
    async def verify_sign_up(self, info: Info, token: str, password: str) -> User:
        user = await info.context.engine.signups.verify_sign_up(
            token, password, info.context.client
        )
        # Code and password proved who this is: the payload's nested fields see what they see.
        info.context.act_as(Principal.of_user(user))
        return User.of(user)

    @strawberry.mutation(description="Let a pending sign-up in (ADMIN of its environment).")
    async def approve_sign_up(self, info: Info, sign_up_id: strawberry.ID) -> User:
        ctx = info.context
        return User.of(await ctx.engine.signups.approve_sign_up(await ctx.caller(), sign_up_id))

    @strawberry.mutation(description="Turn a pending sign-up away (ADMIN of its environment).")
    async def decline_sign_up(self, info: Info, sign_up_id: strawberry.ID) -> bool:
        ctx = info.context
        return await ctx.engine.signups.decline_sign_up(await ctx.caller(), sign_up_id)
