"""GraphQL for sign-ups (proof of address before joining) and the mail outbox."""

from __future__ import annotations

import strawberry

from graph_engine.api.context import Info
from graph_engine.api.types import Connection, OutboxMail, SignUp, SignUpPayload, User, page
from graph_engine.model import Principal
from graph_engine.services.access import require_operator


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Pending sign-ups to an environment, for its ADMINs.")
    async def sign_ups(
        self,
        info: Info,
        environment_id: strawberry.ID,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[SignUp]:
        ctx = info.context
        found = await ctx.engine.identity.sign_ups(await ctx.caller(), environment_id, first, after)
        return page([SignUp.of(s) for s in found.items], found)

    @strawberry.field(
        description=(
            "Messages kept in the graph because no SMTP server is configured (operators)."
            " They are as sent, tokens included."
        )
    )
    async def outbox(
        self,
        info: Info,
        to: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[OutboxMail]:
        ctx = info.context
        require_operator(await ctx.caller())
        found = await ctx.engine.store.list_outbox(to=to, first=first, after=after)
        return page([OutboxMail.of(m) for m in found.items], found)


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description=(
            "Sign up: a confirmation code is mailed to the address; verifySignUp with it and"
            " the same password makes the account (joining the domain's environment as USER,"
            " or founding it as ADMIN). The answer is the same for every address."
        )
    )
    async def sign_up(self, info: Info, email: str, name: str, password: str) -> SignUpPayload:
        receipt = await info.context.engine.identity.sign_up(email, name, password)
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
        user = await info.context.engine.identity.verify_sign_up(token, password)
        # Code and password proved who this is: the payload's nested fields see what they see.
        info.context.act_as(Principal.of_user(user))
        return User.of(user)

    @strawberry.mutation(description="Let a pending sign-up in (ADMIN of its environment).")
    async def approve_sign_up(self, info: Info, sign_up_id: strawberry.ID) -> User:
        ctx = info.context
        return User.of(await ctx.engine.identity.approve_sign_up(await ctx.caller(), sign_up_id))

    @strawberry.mutation(description="Turn a pending sign-up away (ADMIN of its environment).")
    async def decline_sign_up(self, info: Info, sign_up_id: strawberry.ID) -> bool:
        ctx = info.context
        return await ctx.engine.identity.decline_sign_up(await ctx.caller(), sign_up_id)
