"""The maintenance story over HTTP: schedule, countdown and warning, lock-out, 503, and back."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from apiclient import Api, Reply

from graph_engine.clock import ManualClock
from graph_engine.services.identity_policy import SessionPolicy

PASSWORD = "correct horse battery"

STATUS = """{ maintenanceStatus { state startsAt secondsRemaining showWarning banner
              window { id endedAt } } }"""
SCHEDULE = """mutation($e: ID!, $at: DateTime!) {
  scheduleMaintenance(environmentId: $e, startsAt: $at) { id startsAt endedAt createdBy } }"""
END = "mutation($e: ID!) { endMaintenance(environmentId: $e) { id endedAt } }"
APPLY = """mutation($e: ID!, $name: String!, $email: String!) {
  submitApplication(environmentId: $e, name: $name, email: $email) { id name createdAt } }"""


async def helloflex(api: Api) -> dict[str, Any]:
    """An environment with an ADMIN, a CANDIDATE and a USER, and an integration key."""
    data = await api.ok(
        'mutation { createEnvironment(input: {name: "HelloFlex", emailDomain: "hf.example"})'
        " { id } }",
        api.operator,
    )
    ids: dict[str, Any] = {"env": data["createEnvironment"]["id"]}
    for name, role in (("admin", "ADMIN"), ("candidate", "CANDIDATE"), ("user", "USER")):
        made = await api.ok(
            """mutation($e: ID!, $email: String!, $pw: String!, $role: Role!) {
                 createUser(input: {environmentId: $e, email: $email, name: "N", role: $role,
                                    password: $pw}) { id } }""",
            api.operator,
            e=ids["env"],
            email=f"{name}@hf.example",
            pw=PASSWORD,
            role=role,
        )
        ids[name] = made["createUser"]["id"]
    key = await api.ok(
        """mutation($e: ID!) { createApiKey(kind: INTEGRATION, name: "jobs board",
                                            environmentId: $e) { key } }""",
        api.operator,
        e=ids["env"],
    )
    ids["integration"] = key["createApiKey"]["key"]
    return ids


async def post(api: Api, query: str, token: str | None, **variables: Any) -> Reply:
    """Like ``api.call``, but a 503 is an expected answer here."""
    return (await posted(api, query, token, **variables))[0]


async def posted(
    api: Api, query: str, token: str | None, **variables: Any
) -> tuple[Reply, httpx.Headers]:
    """``post`` with the response's headers."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await api.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert "Traceback" not in response.text
    return Reply(response.status_code, response.json()), response.headers


async def application_emails(api: Api) -> list[str]:
    data = await api.engine.store.export_graph()
    return sorted(n.props["email"] for n in data.nodes if n.label == "Application")


def iso(when: datetime) -> str:
    return when.isoformat()


async def test_scheduling_needs_ten_minutes_notice_and_the_right_role(
    api: Api, clock: ManualClock
) -> None:
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    user = await api.login("user@hf.example")
    now = clock.now()
    early = await api.fails(SCHEDULE, admin, e=ids["env"], at=iso(now + timedelta(seconds=599)))
    assert early.code == "INVALID_INPUT"
    assert early.errors[0]["extensions"]["earliest"] == iso(now + timedelta(minutes=10))
    forbidden = await api.fails(SCHEDULE, user, e=ids["env"], at=iso(now + timedelta(hours=1)))
    assert forbidden.code == "FORBIDDEN"
    made = await api.ok(SCHEDULE, admin, e=ids["env"], at=iso(now + timedelta(minutes=10)))
    assert made["scheduleMaintenance"]["createdBy"] == ids["admin"]
    second = await api.fails(SCHEDULE, admin, e=ids["env"], at=iso(now + timedelta(days=1)))
    assert second.code == "CONSTRAINT_VIOLATION"
    await api.ok(END, admin, e=ids["env"])
    await api.ok(SCHEDULE, admin, e=ids["env"], at=iso(now + timedelta(days=5 * 365)))


async def test_the_maintenance_story(api: Api, clock: ManualClock) -> None:
    # The story jumps days ahead; sessions last here (their expiry has its own tests).
    api.engine.identity.sessions = SessionPolicy(
        idle=timedelta(days=30), lifetime=timedelta(days=30)
    )
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    candidate = await api.login("candidate@hf.example")
    start = clock.now() + timedelta(days=3)
    await api.ok(SCHEDULE, admin, e=ids["env"], at=iso(start))

    # 25 h before: a countdown, no warning yet
    clock.set(start - timedelta(hours=25))
    status = (await api.ok(STATUS, candidate))["maintenanceStatus"]
    assert (status["state"], status["secondsRemaining"], status["showWarning"]) == (
        "SCHEDULED",
        25 * 3600,
        False,
    )
    assert datetime.fromisoformat(status["startsAt"]) == start

    # 23 h before: the warning, once
    clock.set(start - timedelta(hours=23))
    assert (await api.ok(STATUS, candidate))["maintenanceStatus"]["showWarning"] is True
    ack = "mutation { acknowledgeMaintenanceWarning }"
    assert (await api.ok(ack, candidate))["acknowledgeMaintenanceWarning"] is True
    assert (await api.ok(STATUS, candidate))["maintenanceStatus"]["showWarning"] is False
    assert (await api.ok(ack, candidate))["acknowledgeMaintenanceWarning"] is False
    clock.set(start - timedelta(hours=1))
    assert (await api.ok(STATUS, candidate))["maintenanceStatus"]["showWarning"] is False

    # the start: the candidate's open session is refused, the admin's is not
    clock.set(start)
    refused = await api.fails("{ me { id } }", candidate)
    assert (refused.status, refused.code) == (200, "MAINTENANCE")
    assert (await api.fails(STATUS, candidate)).code == "MAINTENANCE"
    login = await api.fails(
        'mutation { login(email: "user@hf.example", password: "correct horse battery") { token } }'
    )
    assert login.code == "MAINTENANCE"
    assert (await api.ok("{ me { id } }", admin))["me"]["id"] == ids["admin"]
    active = (await api.ok(STATUS, admin))["maintenanceStatus"]
    assert active["state"] == "ACTIVE"
    assert active["banner"]

    # an integration is refused with 503 and nothing it sent is kept
    pushed = await post(
        api, APPLY, ids["integration"], e=ids["env"], name="Via API", email="api@jobs.example"
    )
    assert (pushed.status, pushed.code) == (503, "MAINTENANCE")
    assert pushed.data is None
    # no end was given: no Retry-After, and the refusal says the end is not known
    _, headers = await posted(
        api, APPLY, ids["integration"], e=ids["env"], name="Via API", email="api@jobs.example"
    )
    assert "retry-after" not in headers
    assert "end is not known" in pushed.errors[0]["message"]
    assert pushed.errors[0]["extensions"]["retryAfter"] is None

    # the public form still works
    form = await api.ok(APPLY, e=ids["env"], name="Jan Jansen", email="jan@mail.example")
    assert form["submitApplication"]["name"] == "Jan Jansen"
    assert await application_emails(api) == ["jan@mail.example"]

    # ended by hand: everyone is back, the integration's message is still not there
    clock.advance(timedelta(hours=5))
    ended = await api.ok(END, admin, e=ids["env"])
    assert datetime.fromisoformat(ended["endMaintenance"]["endedAt"]) == clock.now()
    assert (await api.ok("{ me { id } }", candidate))["me"]["id"] == ids["candidate"]
    await api.login("user@hf.example")
    assert (await api.ok(STATUS, candidate))["maintenanceStatus"]["state"] == "NONE"
    assert await application_emails(api) == ["jan@mail.example"]
    again = await post(
        api, APPLY, ids["integration"], e=ids["env"], name="Via API", email="api@jobs.example"
    )
    assert again.status == 200
    assert not again.errors
    assert await application_emails(api) == ["api@jobs.example", "jan@mail.example"]


SCHEDULE_UNTIL = """mutation($e: ID!, $at: DateTime!, $until: DateTime) {
  scheduleMaintenance(environmentId: $e, startsAt: $at, expectedEndAt: $until) {
    id startsAt expectedEndAt endedAt } }"""


async def test_an_expected_end_becomes_retry_after_while_it_lies_ahead(
    api: Api, clock: ManualClock
) -> None:
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    start = clock.now() + timedelta(minutes=10)
    backwards = await api.fails(
        SCHEDULE_UNTIL, admin, e=ids["env"], at=iso(start), until=iso(start - timedelta(hours=1))
    )
    assert (backwards.code, backwards.errors[0]["extensions"]["field"]) == (
        "INVALID_INPUT",
        "expectedEndAt",
    )
    # an estimate a year past the start, or a start beyond the countdown's reach: refused
    too_late = await api.fails(
        SCHEDULE_UNTIL, admin, e=ids["env"], at=iso(start), until=iso(start + timedelta(days=366))
    )
    assert (too_late.code, too_late.errors[0]["extensions"]["field"]) == (
        "INVALID_INPUT",
        "expectedEndAt",
    )
    far = await api.fails(SCHEDULE, admin, e=ids["env"], at="9999-12-31T23:59:59Z")
    assert (far.code, far.errors[0]["extensions"]["field"]) == ("INVALID_INPUT", "startsAt")
    until = start + timedelta(hours=3)
    made = await api.ok(SCHEDULE_UNTIL, admin, e=ids["env"], at=iso(start), until=iso(until))
    assert datetime.fromisoformat(made["scheduleMaintenance"]["expectedEndAt"]) == until
    window = "{ maintenanceStatus { banner window { expectedEndAt } } }"
    candidate = await api.login("candidate@hf.example")
    seen = (await api.ok(window, admin))["maintenanceStatus"]["window"]
    assert datetime.fromisoformat(seen["expectedEndAt"]) == until

    clock.set(start + timedelta(minutes=5))  # within the sessions' 30 idle minutes
    pushed, headers = await posted(
        api, APPLY, ids["integration"], e=ids["env"], name="Via API", email="api@jobs.example"
    )
    assert (pushed.status, pushed.code) == (503, "MAINTENANCE")
    assert headers["retry-after"] == str(int((until - clock.now()).total_seconds()))
    assert pushed.errors[0]["extensions"]["expectedEndAt"] == until.isoformat()
    assert until.isoformat() in pushed.errors[0]["message"]
    assert until.isoformat() in (await api.ok(window, admin))["maintenanceStatus"]["banner"]
    # a user is told the same, on a 200 as every refusal of a user
    refused = await api.fails("{ me { id } }", candidate)
    assert (refused.status, refused.code) == (200, "MAINTENANCE")
    assert refused.errors[0]["extensions"]["retryAfter"] == int(
        (until - clock.now()).total_seconds()
    )

    # the estimate passed and the window is still open: the end is not known any more
    clock.set(until + timedelta(minutes=1))
    late, headers = await posted(
        api, APPLY, ids["integration"], e=ids["env"], name="Via API", email="api@jobs.example"
    )
    assert (late.status, late.code) == (503, "MAINTENANCE")
    assert "retry-after" not in headers
    assert "end is not known" in late.errors[0]["message"]


async def test_a_new_account_is_activated_during_maintenance_but_cannot_log_in(
    api: Api, clock: ManualClock
) -> None:
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    made = await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "new@hf.example",
                                                  name: "New", role: CANDIDATE}) { id } }""",
        admin,
        e=ids["env"],
    )
    new_id = made["createUser"]["id"]
    issued = await api.ok(
        "mutation($u: ID!) { createActivationToken(userId: $u) { token } }", admin, u=new_id
    )
    token = issued["createActivationToken"]["token"]
    start = clock.now() + timedelta(minutes=10)
    await api.ok(SCHEDULE, admin, e=ids["env"], at=iso(start))
    clock.set(start + timedelta(minutes=1))

    activate = """mutation($t: String!, $p: String!) { activateAccount(token: $t, password: $p)
                  { id } }"""
    done = await api.ok(activate, t=token, p="quiet rivers flow north")
    assert done["activateAccount"]["id"] == new_id
    assert (
        await api.fails(activate, t=token, p="quiet rivers flow north")
    ).code == "UNAUTHENTICATED"
    login = await api.fails(
        'mutation { login(email: "new@hf.example", password: "quiet rivers flow north") { token } }'
    )
    assert login.code == "MAINTENANCE"
    await api.ok(END, admin, e=ids["env"])
    await api.login("new@hf.example", "quiet rivers flow north")


async def test_a_start_without_time_zone_or_for_an_unknown_environment_is_refused(
    api: Api, clock: ManualClock
) -> None:
    ids = await helloflex(api)
    admin = await api.login("admin@hf.example")
    naive = (clock.now() + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    reply = await api.fails(SCHEDULE, admin, e=ids["env"], at=naive)
    assert (reply.code, reply.errors[0]["extensions"]["field"]) == ("INVALID_INPUT", "startsAt")
    unknown = await api.fails(
        SCHEDULE, api.operator, e="env_nope", at=iso(clock.now() + timedelta(hours=1))
    )
    assert unknown.code == "NOT_FOUND"
    assert (await api.fails(END, admin, e=ids["env"])).code == "NOT_FOUND"
    assert await api.engine.store.get_maintenance(environment_id=ids["env"], user_id=None) is None
