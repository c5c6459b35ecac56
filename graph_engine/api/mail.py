"""GraphQL for mail: the outbox, where messages stay when no SMTP server is configured.

Where mail to a user goes (``routeMail``, ``setReportsTo``) is offboarding's
(:mod:`graph_engine.api.offboarding`).
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window
from graph_engine.services.access import require_operator


@strawberry.type(description="A message in the outbox (kept when no SMTP server is set).")
class OutboxMail:
    id: strawberry.ID
    to: str
    subject: str
    body: str
    created_at: datetime

    @classmethod
    def of(cls, m: model.OutboxMail) -> OutboxMail:
        return cls(
            id=strawberry.ID(m.id), to=m.to, subject=m.subject, body=m.body, created_at=m.created_at
        )


@strawberry.type
class MailQuery:
    @strawberry.field(
        description=(
            "Messages kept in the graph because no SMTP server is configured (operators)."
            " They are as sent, tokens included."
        )
    )
    async def outbox(
        self,
        info: Info,
        *,
        to: str | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[OutboxMail]:
        ctx = info.context
        require_operator(await ctx.caller())
        found = await ctx.engine.store.list_outbox(to=to, page=window(first, after, last, before))
        return page([OutboxMail.of(m) for m in found.items], found)


@strawberry.type
class MailMutation:
    @strawberry.mutation(
        description=(
            "Send an outbox message again through the SMTP server (operators): a dead letter,"
            " once the server takes mail again. Sent, it leaves the outbox; not sent, it"
            " stays (MAIL_NOT_SENT). Without an SMTP server set: INVALID_INPUT."
        )
    )
    async def resend_outbox_mail(self, info: Info, id: strawberry.ID) -> OutboxMail:  # noqa: A002 - the GraphQL argument's name
        ctx = info.context
        return OutboxMail.of(await ctx.engine.outbox.resend(await ctx.caller(), id))
