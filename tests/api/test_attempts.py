"""Public requests that mail someone or hash a password are counted per address asked
about and per client, like failed logins (graph_engine.services.attempts), on both stores."""

from __future__ import annotations

import pytest
from apiclient import Api

from graph_engine.model import PageRequest
from graph_engine.services import attempts

RESET = "mutation($e: String!) { requestPasswordReset(email: $e) }"
SIGN_UP = """mutation($e: String!) {
  signUp(email: $e, name: "Mallory", password: "a long enough pass phrase") { email } }"""
VERIFY = """mutation($t: String!) {
  verifySignUp(token: $t, password: "a long enough pass phrase") { id } }"""


async def outbox(api: Api, to: str) -> int:
    page = await api.engine.store.list_outbox(to=to, page=PageRequest(first=500))
    return len(page.items)


async def account(api: Api) -> str:
    made = await api.ok(
        'mutation { createEnvironment(input: {name: "J", emailDomain: "j.example"}) { id } }',
        api.operator,
    )
    await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "joris@j.example",
             name: "Joris", role: ADMIN, password: "correct horse battery"}) { id } }""",
        api.operator,
        e=made["createEnvironment"]["id"],
    )
    return "joris@j.example"


@pytest.mark.parametrize("exists", [True, False])
async def test_reset_mails_to_one_address_are_bounded_whether_or_not_it_has_an_account(
    api: Api, exists: bool
) -> None:
    address = await account(api) if exists else "ghost@j.example"
    free = attempts.FREE["reset", "email"]
    for _ in range(free + 1):  # the free ones, and one that starts the wait
        assert (await api.ok(RESET, e=address))["requestPasswordReset"] is True
    refused = await api.call(RESET, e=address)
    assert refused.status == 429
    assert refused.code == "TOO_MANY_ATTEMPTS"
    assert refused.errors[0]["extensions"]["retryAfter"] >= 1
    assert await outbox(api, address) == (free + 1 if exists else 0)
    # Another address is not held back by this one's counter.
    assert (await api.ok(RESET, e="someone.else@j.example"))["requestPasswordReset"] is True


async def test_sign_ups_and_confirmation_tries_from_one_client_are_bounded(api: Api) -> None:
    free = attempts.FREE["signUp", "email"]
    for _ in range(free + 1):
        await api.ok(SIGN_UP, e="victim@freemail.example")
    assert (await api.call(SIGN_UP, e="victim@freemail.example")).code == "TOO_MANY_ATTEMPTS"
    assert await outbox(api, "victim@freemail.example") == free + 1
    # Guessing confirmation codes (each try hashes a password) runs into the same wall.
    codes = [
        (await api.call(VERIFY, t=f"sgn_guess{i}")).code
        for i in range(attempts.FREE["verifySignUp", "client"] + 2)
    ]
    assert codes[0] == "UNAUTHENTICATED"
    assert codes[-1] == "TOO_MANY_ATTEMPTS"


async def test_a_public_mail_domain_founds_or_joins_no_environment(api: Api) -> None:
    """Whoever signed up first with gmail.com would run the environment every later gmail
    user joins: such a sign-up is refused before anything is stored or mailed."""
    refused = await api.fails(SIGN_UP, e="mallory@gmail.com")
    assert refused.code == "INVALID_INPUT"
    assert refused.errors[0]["extensions"]["field"] == "email"
    assert await outbox(api, "mallory@gmail.com") == 0
    assert (await api.ok(SIGN_UP, e="mallory@bakery.example"))["signUp"]["email"] == (
        "mallory@bakery.example"
    )


async def test_no_reset_code_is_mailed_to_an_inactive_account(api: Api) -> None:
    """An inactive user's mail may be forwarded to whoever they report to (routeMail): a
    reset code mailed to them would let that colleague choose their password."""
    address = await account(api)
    made = await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "kees@j.example",
             name: "Kees", role: USER, password: "correct horse battery"}) { id } }""",
        api.operator,
        e=(await api.ok("{ me { environment { id } } }", await api.login(address)))["me"][
            "environment"
        ]["id"],
    )
    kees = made["createUser"]["id"]
    await api.ok("mutation($u: ID!) { deactivateUser(userId: $u) { id } }", api.operator, u=kees)
    assert (await api.ok(RESET, e="kees@j.example"))["requestPasswordReset"] is True
    assert await outbox(api, "kees@j.example") == 0
    await api.ok("mutation($u: ID!) { reactivateUser(userId: $u) { id } }", api.operator, u=kees)
    await api.ok(RESET, e="kees@j.example")
    assert await outbox(api, "kees@j.example") == 1
