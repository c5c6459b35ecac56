"""The password policy (NIST SP 800-63B-4, a password as the only factor) over HTTP."""

from __future__ import annotations

import pytest
from apiclient import Api

SIGN_UP = """mutation($e: String!, $n: String!, $p: String!) {
  signUp(email: $e, name: $n, password: $p) { email } }"""


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("12345678", "length"),
        ("password", "length"),
        (" " * 8, "length"),
        ("anna@vries.example", "personal"),  # the user's own address
        ("vries family garden party", "personal"),  # a word of their name
        ("anna and the forty thieves", "personal"),
        ("passwordpassword123", "common"),
        ("qwertyuiopasdfghjkl", "common"),
        ("1234567890123456", "common"),
        ("aaaaaaaaaaaaaaaaaaaa", "common"),
        ("x" * 1025, "length"),
    ],
)
async def test_a_weak_password_is_refused_naming_the_rule(
    api: Api, password: str, rule: str
) -> None:
    before = await api.engine.store.export_graph()
    reply = await api.fails(SIGN_UP, e="anna@vries.example", n="Anna de Vries", p=password)
    assert reply.code == "INVALID_INPUT"
    assert reply.errors[0]["extensions"]["field"] == "password"
    assert reply.errors[0]["extensions"]["rule"] == rule
    assert await api.engine.store.export_graph() == before  # no sign-up, no mail


async def test_long_passphrases_of_any_characters_are_welcome(api: Api) -> None:
    for password in (
        "correct horse battery staple",
        "ĳzeren paard in de regen",
        "🐴🔋📎 horse battery",
    ):
        await api.ok(SIGN_UP, e="anna@vries.example", n="Anna de Vries", p=password)


async def test_an_admin_cannot_give_a_colleague_a_weak_password_either(api: Api) -> None:
    env = await api.ok(
        'mutation { createEnvironment(input: {name: "V", emailDomain: "v.example"}) { id } }',
        api.operator,
    )
    reply = await api.fails(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "piet@v.example",
             name: "Piet Jansen", password: "pietjansen2026!!"}) { id } }""",
        api.operator,
        e=env["createEnvironment"]["id"],
    )
    assert reply.errors[0]["extensions"]["rule"] == "personal"
