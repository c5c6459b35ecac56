"""Dead letters sent again (resendOutboxMail) through a real SMTP server, on both stores:
the outbox keeps what the server would not take, and gives it up once it is sent."""

from __future__ import annotations

import pytest
from apiclient import Api
from smtp_sink import Mailbox, free_port

from graph_engine.model import PageRequest
from graph_engine.services.mail import OutboxMailer, Retries, SmtpMailer, SmtpServer

RESEND = "mutation($id: ID!) { resendOutboxMail(id: $id) { id to subject } }"
RESET = "mutation($e: String!) { requestPasswordReset(email: $e) }"


@pytest.fixture
def dead_smtp_api(mail_api: Api) -> Api:
    """The API with its SMTP server down (nothing listens on the port): dead letters."""
    mailer = mail_api.engine.mailer
    assert isinstance(mailer, SmtpMailer)
    mailer.server = SmtpServer.parse(f"smtp://127.0.0.1:{free_port()}")
    mailer.retries = Retries(attempts=1, timeout=5.0)
    mailer.dead_letters = OutboxMailer(mail_api.engine.store, mail_api.engine.clock)
    return mail_api


async def test_a_dead_letter_is_sent_again_once_the_server_is_back(
    dead_smtp_api: Api, mailbox: Mailbox
) -> None:
    api = dead_smtp_api
    made = await api.ok(
        'mutation { createEnvironment(input: {name: "D", emailDomain: "d.example"}) { id } }',
        api.operator,
    )
    await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "dora@d.example",
             name: "Dora", role: ADMIN, password: "correct horse battery"}) { id } }""",
        api.operator,
        e=made["createEnvironment"]["id"],
    )
    await api.ok(RESET, e="dora@d.example")
    kept = await api.engine.store.list_outbox(to="dora@d.example", page=PageRequest(first=10))
    [letter] = kept.items
    # Still down: it stays, and the answer says so.
    down = await api.fails(RESEND, api.operator, id=letter.id)
    assert down.code == "MAIL_NOT_SENT"
    assert await api.engine.store.get_outbox_mail(mail_id=letter.id) is not None
    # Only operators send again; an unknown id is NOT_FOUND.
    admin = await api.login("dora@d.example")
    assert (await api.fails(RESEND, admin, id=letter.id)).code == "FORBIDDEN"
    assert (await api.fails(RESEND, api.operator, id="obx_0")).code == "NOT_FOUND"
    # The server is back: sent, and out of the outbox.
    assert isinstance(api.engine.mailer, SmtpMailer)
    api.engine.mailer.server = SmtpServer.parse(mailbox.url)
    sent = (await api.ok(RESEND, api.operator, id=letter.id))["resendOutboxMail"]
    assert sent == {"id": letter.id, "to": "dora@d.example", "subject": letter.subject}
    assert len(mailbox.to("dora@d.example")) == 1
    assert mailbox.token("dora@d.example", prefix="grs_")
    assert await api.engine.store.get_outbox_mail(mail_id=letter.id) is None
    assert (await api.fails(RESEND, api.operator, id=letter.id)).code == "NOT_FOUND"


async def test_without_an_smtp_server_the_outbox_is_where_mail_goes(api: Api) -> None:
    reply = await api.fails(RESEND, api.operator, id="obx_0")
    assert reply.code == "INVALID_INPUT"
    assert reply.errors[0]["extensions"]["setting"] == "GRAPH_ENGINE_SMTP_URL"
