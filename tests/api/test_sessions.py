"""Sessions and keys that end, passwords that change, and the login throttle, over HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from apiclient import Api
from smtp_sink import Mailbox

from graph_engine.clock import ManualClock

PASSWORD = "correct horse battery"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
ME = "{ me { id } }"


async def office(api: Api) -> dict[str, Any]:
    """Environment ``office.example`` with its ADMIN ``boss`` and ``piet``, both with passwords."""
    env = await api.ok(
        'mutation { createEnvironment(input: {name: "Office", emailDomain: "office.example"}) { id } }',
        api.operator,
    )
    out: dict[str, Any] = {"env": env["createEnvironment"]["id"]}
    for name in ("boss", "piet"):
        made = await api.ok(
            """mutation($e: ID!, $m: String!, $pw: String!) { createUser(input: {
                 environmentId: $e, email: $m, name: $m, password: $pw}) { id } }""",
            api.operator,
            e=out["env"],
            m=f"{name}@office.example",
            pw=PASSWORD,
        )
        out[name] = made["createUser"]["id"]
    return out


async def test_a_session_ends_when_idle_and_after_its_lifetime(
    api: Api, clock: ManualClock
) -> None:
    await office(api)
    token = await api.login("piet@office.example", PASSWORD)
    # Used every 20 minutes it stays open; 31 idle minutes end it.
    for _ in range(3):
        clock.advance(timedelta(minutes=20))
        await api.ok(ME, token)
    clock.advance(timedelta(minutes=31))
    idle = await api.fails(ME, token)
    assert idle.code == "SESSION_INVALIDATED"
    assert "30 minutes" in idle.errors[0]["message"]
    # However busy, 12 hours after login it ends.
    token = await api.login("piet@office.example", PASSWORD)
    for _ in range(12 * 3 + 1):
        clock.advance(timedelta(minutes=20))
        reply = await api.call(ME, token)
    assert reply.code == "SESSION_INVALIDATED"
    assert "12 hours" in reply.errors[0]["message"]


async def test_users_list_and_end_their_sessions_and_admins_end_anyones(api: Api) -> None:
    await office(api)
    first = await api.login("piet@office.example", PASSWORD)
    second = await api.login("piet@office.example", PASSWORD)
    listed = await api.ok("{ mySessions { nodes { id current } } }", first)
    sessions = listed["mySessions"]["nodes"]
    assert len(sessions) == 2
    other = next(s["id"] for s in sessions if not s["current"])
    assert await api.ok("mutation($s: ID!) { endSession(sessionId: $s) }", first, s=other) == {
        "endSession": True
    }
    assert (await api.fails(ME, second)).code == "SESSION_INVALIDATED"
    await api.ok(ME, first)
    # Nobody ends someone else's session by id.
    boss = await api.login("boss@office.example", PASSWORD)
    mine = (await api.ok("{ mySessions { nodes { id } } }", first))["mySessions"]["nodes"][0]["id"]
    assert await api.ok("mutation($s: ID!) { endSession(sessionId: $s) }", boss, s=mine) == {
        "endSession": False
    }
    await api.ok(ME, first)
    # An ADMIN ends them all.
    piet = (await api.ok(ME, first))["me"]["id"]
    ended = await api.ok("mutation($u: ID!) { endUserSessions(userId: $u) }", boss, u=piet)
    assert ended["endUserSessions"] == 1
    assert (await api.fails(ME, first)).code == "SESSION_INVALIDATED"
    refused = await api.fails("mutation($u: ID!) { endUserSessions(userId: $u) }", first, u=piet)
    assert refused.code == "SESSION_INVALIDATED"


async def test_a_password_change_ends_the_other_sessions(api: Api) -> None:
    await office(api)
    here = await api.login("piet@office.example", PASSWORD)
    there = await api.login("piet@office.example", PASSWORD)
    change = """mutation($c: String!, $n: String!) {
      changePassword(currentPassword: $c, newPassword: $n) { endedSessions } }"""
    wrong = await api.fails(change, here, c="not my password at all", n="quiet rivers flow north")
    assert wrong.code == "UNAUTHENTICATED"
    weak = await api.fails(change, here, c=PASSWORD, n="short")
    assert weak.errors[0]["extensions"]["rule"] == "length"
    done = await api.ok(change, here, c=PASSWORD, n="quiet rivers flow north")
    assert done["changePassword"]["endedSessions"] == 1
    await api.ok(ME, here)
    assert (await api.fails(ME, there)).code == "SESSION_INVALIDATED"
    assert (await api.fails(LOGIN, e="piet@office.example", p=PASSWORD)).code == "UNAUTHENTICATED"
    await api.login("piet@office.example", "quiet rivers flow north")


async def test_a_forgotten_password_is_reset_by_a_mailed_code(
    mail_api: Api, mailbox: Mailbox
) -> None:
    api = mail_api
    await office(api)
    session = await api.login("piet@office.example", PASSWORD)
    ask = "mutation($e: String!) { requestPasswordReset(email: $e) }"
    assert await api.ok(ask, e="piet@office.example") == {"requestPasswordReset": True}
    assert await api.ok(ask, e="nobody@office.example") == {"requestPasswordReset": True}
    assert mailbox.to("nobody@office.example") == []
    token = mailbox.token("piet@office.example", prefix="grs_")
    reset = (
        """mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) { id } }"""
    )
    assert (await api.fails(reset, t=token, p="piet piet piet piet")).errors[0]["extensions"][
        "rule"
    ] == "personal"
    await api.ok(reset, t=token, p="lanterns over the harbour")
    assert (await api.fails(reset, t=token, p="lanterns over the harbour")).code == (
        "UNAUTHENTICATED"
    )
    assert (await api.fails(ME, session)).code == "SESSION_INVALIDATED"
    await api.login("piet@office.example", "lanterns over the harbour")


async def test_failed_logins_slow_down_the_next_ones_and_a_reset_clears_them(
    mail_api: Api, mailbox: Mailbox, clock: ManualClock
) -> None:
    api = mail_api
    await office(api)
    for _ in range(5):  # five free tries
        assert (await api.fails(LOGIN, e="piet@office.example", p="guess")).code == (
            "UNAUTHENTICATED"
        )
    sixth = await api.fails(LOGIN, e="piet@office.example", p="guess")
    assert sixth.code == "UNAUTHENTICATED"
    # Now even the right password waits, and the answer says how long.
    response = await api.http.post(
        "/graphql", json={"query": LOGIN, "variables": {"e": "piet@office.example", "p": PASSWORD}}
    )
    assert response.status_code == 429
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
    assert int(response.headers["Retry-After"]) == error["extensions"]["retryAfter"] == 3
    waits = []
    for _ in range(6):
        clock.advance(timedelta(seconds=int(response.headers["Retry-After"])))
        await api.fails(LOGIN, e="piet@office.example", p="guess")
        response = await api.http.post(
            "/graphql",
            json={"query": LOGIN, "variables": {"e": "piet@office.example", "p": PASSWORD}},
        )
        waits.append(int(response.headers["Retry-After"]))
    assert waits == sorted(waits)  # doubling, not constant
    assert waits[-1] > 60
    # Another account is not slowed down by Piet's.
    await api.login("boss@office.example", PASSWORD)
    # Capped at 15 minutes, and a reset clears the account's counter at once.
    for _ in range(20):
        clock.advance(timedelta(seconds=int(response.headers["Retry-After"])))
        await api.fails(LOGIN, e="piet@office.example", p="guess")
        response = await api.http.post(
            "/graphql",
            json={"query": LOGIN, "variables": {"e": "piet@office.example", "p": PASSWORD}},
        )
    assert int(response.headers["Retry-After"]) <= 15 * 60 + 1
    await api.ok('mutation { requestPasswordReset(email: "piet@office.example") }')
    await api.ok(
        'mutation($t: String!) { resetPassword(token: $t, password: "lanterns over the harbour") { id } }',
        t=mailbox.token("piet@office.example", prefix="grs_"),
    )
    await api.login("piet@office.example", "lanterns over the harbour")


async def test_keys_have_a_name_an_end_a_last_use_and_can_be_revoked_and_rotated(
    api: Api, clock: ManualClock
) -> None:
    ids = await office(api)
    boss = await api.login("boss@office.example", PASSWORD)
    piet = await api.login("piet@office.example", PASSWORD)
    create = """mutation($e: ID, $k: PrincipalKind!, $x: DateTime) {
      createApiKey(kind: $k, name: "payroll link", environmentId: $e, expiresAt: $x) {
        id key expiresAt } }"""
    # An ADMIN makes keys for their environment, never an OPERATOR key; a USER none.
    assert (await api.fails(create, boss, k="OPERATOR", e=None)).code == "FORBIDDEN"
    assert (await api.fails(create, piet, k="INTEGRATION", e=ids["env"])).code == "FORBIDDEN"
    later = (clock.now() + timedelta(days=30)).isoformat()
    made = (await api.ok(create, boss, k="INTEGRATION", e=ids["env"], x=later))["createApiKey"]
    key = made["key"]
    assert (await api.ok("{ maintenanceStatus { state } }", key))["maintenanceStatus"]
    listed = await api.ok(
        "query($e: ID) { apiKeys(environmentId: $e) { nodes { id name lastUsedAt revokedAt } } }",
        boss,
        e=ids["env"],
    )
    [row] = listed["apiKeys"]["nodes"]
    assert (row["id"], row["name"], row["revokedAt"]) == (made["id"], "payroll link", None)
    assert row["lastUsedAt"] is not None
    # To the minute, as described (the clock at 30.5 s past one shows the minute).
    clock.advance(timedelta(minutes=5, seconds=30, microseconds=500))
    assert (await api.ok("{ maintenanceStatus { state } }", key))["maintenanceStatus"]
    [row] = (
        await api.ok(
            "query($e: ID) { apiKeys(environmentId: $e) { nodes { lastUsedAt } } }",
            boss,
            e=ids["env"],
        )
    )["apiKeys"]["nodes"]
    used = datetime.fromisoformat(row["lastUsedAt"])
    assert (used.second, used.microsecond) == (0, 0)
    assert clock.now() - timedelta(minutes=1) < used <= clock.now()
    # Rotation: the new key works, the old one fails at once.
    rotated = await api.ok(
        "mutation($k: ID!) { rotateApiKey(keyId: $k) { id key expiresAt } }", boss, k=made["id"]
    )
    new = rotated["rotateApiKey"]
    assert new["expiresAt"] == made["expiresAt"]
    assert (await api.fails(ME, key)).code == "UNAUTHENTICATED"
    await api.ok("{ maintenanceStatus { state } }", new["key"])
    # Revocation, and the end of a key's life.
    await api.ok("mutation($k: ID!) { revokeApiKey(keyId: $k) { revokedAt } }", boss, k=new["id"])
    assert (await api.fails("{ maintenanceStatus { state } }", new["key"])).code == (
        "UNAUTHENTICATED"
    )
    short = (await api.ok(create, boss, k="BACKOFFICE", e=ids["env"], x=later))["createApiKey"]
    clock.advance(timedelta(days=31))
    expired = await api.fails("{ maintenanceStatus { state } }", short["key"])
    assert expired.code == "UNAUTHENTICATED"
    assert "expired" in expired.errors[0]["message"]
    # Another environment's ADMIN sees no such key.
    other = await api.ok(
        'mutation { createEnvironment(input: {name: "O", emailDomain: "other.example"}) { id } }',
        api.operator,
    )
    await api.ok(
        """mutation($e: ID!, $pw: String!) { createUser(input: {environmentId: $e,
             email: "admin@other.example", name: "Olga", password: $pw}) { id } }""",
        api.operator,
        e=other["createEnvironment"]["id"],
        pw=PASSWORD,
    )
    olga = await api.login("admin@other.example", PASSWORD)
    stranger = await api.fails(
        "mutation($k: ID!) { revokeApiKey(keyId: $k) { id } }", olga, k=short["id"]
    )
    assert stranger.code == "NOT_FOUND"


CAN_INVITE = """query($j: ID!, $o: ID!, $i: ID) {
  canInvite(inviteeId: $j, organisationId: $o, inviterId: $i) { allowed code reason } }"""


async def test_can_invite_is_one_round_trip_and_heeds_the_session_like_any_request(
    api: Api, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = await office(api)
    boss = await api.login("boss@office.example", PASSWORD)
    org = (
        await api.ok(
            'mutation($e: ID!) { createOrganisation(environmentId: $e, name: "Books") { id } }',
            boss,
            e=made["env"],
        )
    )["createOrganisation"]["id"]
    trips = round_trips(api, monkeypatch)
    asked = (await api.ok(CAN_INVITE, boss, j=made["piet"], o=org))["canInvite"]
    assert asked["code"] == "SAME_ENVIRONMENT"
    if api.engine.store.name == "neo4j":
        assert trips == ["read"]  # the session and the decision in one statement
    # Asked the long way (naming the inviter), the answer is the same.
    assert (await api.ok(CAN_INVITE, boss, j=made["piet"], o=org, i=made["boss"]))[
        "canInvite"
    ] == asked
    # The other hot reads take one round trip too.
    candidates = "query($o: ID!) { inviteCandidates(organisationId: $o) { nodes { id } } }"
    for hot, variables in (
        ("{ me { id name role } }", {}),
        ("{ maintenanceStatus { state } }", {}),
        (candidates, {"o": org}),
    ):
        trips.clear()
        answer = await api.ok(hot, boss, **variables)
        if api.engine.store.name == "neo4j":
            assert trips == ["read"], hot
    assert {"id": made["piet"]} in answer["inviteCandidates"]["nodes"]
    # The ADMIN without access to Books is not their own candidate, nor may invite themself.
    assert {"id": made["boss"]} not in answer["inviteCandidates"]["nodes"]
    itself = (await api.ok(CAN_INVITE, boss, j=made["boss"], o=org))["canInvite"]
    assert itself["code"] == "SELF_INVITE"
    assert not itself["allowed"]
    assert "grantAccess" in itself["reason"]
    refused = await api.fails(
        "mutation($j: ID!, $o: ID!) { invite(inviteeId: $j, organisationId: $o) { id } }",
        boss,
        j=made["boss"],
        o=org,
    )
    assert refused.code == "FORBIDDEN"
    assert refused.errors[0]["extensions"]["reason"] == "SELF_INVITE"
    # Out of reach reads as unknown, as everywhere.
    assert (await api.fails(CAN_INVITE, boss, j="usr_nobody", o=org)).code == "NOT_FOUND"
    # The session's clock runs on: a minute on, the idle clock is written after the read …
    clock.advance(timedelta(minutes=2))
    trips.clear()
    await api.ok(CAN_INVITE, boss, j=made["piet"], o=org)
    if api.engine.store.name == "neo4j":
        assert trips == ["read", "write"]
    # … and half an hour idle ends the session: the answer is withheld.
    clock.advance(timedelta(minutes=31))
    ended = await api.fails(CAN_INVITE, boss, j=made["piet"], o=org)
    assert ended.code == "SESSION_INVALIDATED"
    assert ended.data is None
    assert (await api.fails(candidates, boss, o=org)).code == "SESSION_INVALIDATED"
    assert (await api.fails(CAN_INVITE, boss, j=made["piet"], o=org)).code == "SESSION_INVALIDATED"
    assert (await api.fails(CAN_INVITE, "not-a-token", j=made["piet"], o=org)).code == (
        "UNAUTHENTICATED"
    )
    # A user blocked from logging in is refused at once, whatever they ask.
    piet = await api.login("piet@office.example", PASSWORD)
    await api.ok(
        "mutation($u: ID!) { blockLogin(userId: $u) { id } }",
        api.operator,
        u=made["piet"],
    )
    assert (await api.fails(CAN_INVITE, piet, j=made["boss"], o=org)).code == (
        "SESSION_INVALIDATED"
    )


def round_trips(api: Api, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each statement or transaction a Neo4j store sends (nothing for memory)."""
    trips: list[str] = []
    driver = getattr(api.engine.store, "driver", None)
    if driver is None:
        return trips
    session, execute_query = driver.session, driver.execute_query

    def watched_session(*args: Any, **kwargs: Any) -> Any:
        trips.append("write" if kwargs.get("default_access_mode") == "WRITE" else "read")
        return session(*args, **kwargs)

    async def watched_query(*args: Any, **kwargs: Any) -> Any:
        trips.append("write")
        return await execute_query(*args, **kwargs)

    monkeypatch.setattr(driver, "session", watched_session)
    monkeypatch.setattr(driver, "execute_query", watched_query)
    return trips
