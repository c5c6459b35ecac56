"""The test clock, from outside: a real ``graph-engine serve --test-clock STORE`` whose
time an operator moves forward over HTTP, and the time-dependent rules that follow it —
the maintenance window, session expiry, and the licence cancellation's two branches
(the 12-month term, then the next week boundary). Once per store."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from serving import console_script, serving
from test_outage import operator_key

from graph_engine.store.licences import add_months, next_week_boundary

PASSWORD = "correct horse battery"


class Server:
    def __init__(self, port: int, key: str) -> None:
        self.port, self.key = port, key

    def post(
        self, query: str, token: str | None = None, **variables: Any
    ) -> tuple[int, dict[str, Any], Any]:
        """(HTTP status, body, headers) of one GraphQL POST; the operator's key by default."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql",
            data=json.dumps({"query": query, "variables": variables}).encode(),
            headers={
                "content-type": "application/json",
                "authorization": f"Bearer {token or self.key}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                return response.status, json.load(response), response.headers
        except urllib.error.HTTPError as err:
            return err.code, json.load(err), err.headers

    def ok(self, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
        status, body, _ = self.post(query, token, **variables)
        assert status == 200, body
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    def code(self, query: str, token: str | None = None, **variables: Any) -> str:
        _, body, _ = self.post(query, token, **variables)
        return str(body["errors"][0]["extensions"]["code"])

    def now(self) -> datetime:
        return datetime.fromisoformat(self.ok("{ testClock { now } }")["testClock"]["now"])

    def advance(self, delta: timedelta) -> datetime:
        moved = self.ok(
            "mutation($s: Int!) { advanceTestClock(seconds: $s) { now offsetSeconds } }",
            s=int(delta.total_seconds()),
        )
        return datetime.fromisoformat(moved["advanceTestClock"]["now"])


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    log = tmp_path / "serve.log"
    if request.param == "memory":
        with serving(log, "--no-demo", "--test-clock", "memory") as port:
            found = re.search(r"operator key for this store: (\S+)", log.read_text())
            assert found, log.read_text()
            yield Server(port, found.group(1))
        return
    uri: str = request.getfixturevalue("neo4j_uri")
    key = asyncio.run(operator_key(uri))
    with serving(log, "--neo4j", uri, "--test-clock", uri, store="neo4j") as port:
        yield Server(port, key)


def environment(server: Server, billing: str) -> tuple[str, str]:
    """A fresh environment (its id, its e-mail domain)."""
    domain = f"clock-{uuid.uuid4().hex[:8]}.example"
    made = server.ok(
        """mutation($d: String!, $b: Billing!) {
             createEnvironment(input: {name: "Clock", emailDomain: $d, billing: $b}) { id } }""",
        d=domain,
        b=billing,
    )
    return made["createEnvironment"]["id"], domain


def person(server: Server, env: str, email: str) -> str:
    made = server.ok(
        """mutation($e: ID!, $m: String!, $p: String!) {
             createUser(input: {environmentId: $e, email: $m, name: "Kees", password: $p})
             { id } }""",
        e=env,
        m=email,
        p=PASSWORD,
    )
    user_id: str = made["createUser"]["id"]
    return user_id


def test_time_moves_forward_for_every_rule_that_reads_it(server: Server) -> None:
    before = server.now()
    assert server.advance(timedelta(hours=1)) >= before + timedelta(hours=1)
    assert server.ok("{ testClock { offsetSeconds } }")["testClock"]["offsetSeconds"] == 3600
    # forward only, and only for operators
    assert server.code("mutation { advanceTestClock(seconds: 0) { now } }") == "INVALID_INPUT"
    assert server.code("mutation { advanceTestClock(seconds: -60) { now } }") == "INVALID_INPUT"

    # sessions expire on the moved clock: 31 idle minutes end one
    env, domain = environment(server, "PER_PROCESSED_HOUR")
    person(server, env, f"anna@{domain}")
    login = "mutation($m: String!, $p: String!) { login(email: $m, password: $p) { token } }"
    token = server.ok(login, m=f"anna@{domain}", p=PASSWORD)["login"]["token"]
    assert server.code("mutation { advanceTestClock(seconds: 60) { now } }", token) == "FORBIDDEN"
    assert server.ok("{ me { id } }", token)["me"]
    server.advance(timedelta(minutes=31))
    assert server.code("{ me { id } }", token) == "SESSION_INVALIDATED"

    # the maintenance window opens when the moved clock reaches its start
    integration = server.ok(
        """mutation($e: ID!) { createApiKey(kind: INTEGRATION, name: "jobs", environmentId: $e)
             { key } }""",
        e=env,
    )["createApiKey"]["key"]
    start = server.now() + timedelta(minutes=11)  # the wall clock runs on beneath
    server.ok(
        """mutation($e: ID!, $at: DateTime!, $until: DateTime) {
             scheduleMaintenance(environmentId: $e, startsAt: $at, expectedEndAt: $until)
             { id } }""",
        e=env,
        at=start.isoformat(),
        until=(start + timedelta(hours=2)).isoformat(),
    )
    apply = """mutation($e: ID!) { submitApplication(environmentId: $e, name: "Via API",
                 email: "api@jobs.example") { id } }"""
    assert server.post(apply, integration, e=env)[0] == 200
    server.advance(timedelta(minutes=12))
    status, body, headers = server.post(apply, integration, e=env)
    assert (status, body["errors"][0]["extensions"]["code"]) == (503, "MAINTENANCE")
    assert 0 < int(headers["Retry-After"]) <= 2 * 3600
    server.ok("mutation($e: ID!) { endMaintenance(environmentId: $e) { id } }", e=env)
    assert server.post(apply, integration, e=env)[0] == 200


def test_a_licence_is_cancelled_after_its_term_then_at_the_next_week_boundary(
    server: Server,
) -> None:
    env, domain = environment(server, "PER_LICENCE")
    company = server.ok(
        'mutation($e: ID!) { createOrganisation(environmentId: $e, name: "Flex Zuid") { id } }',
        e=env,
    )["createOrganisation"]["id"]
    holder = person(server, env, f"mira@{domain}")
    grant = "mutation($u: ID!, $o: ID!) { grantAccess(userId: $u, organisationId: $o) { role } }"
    server.ok(grant, u=holder, o=company)
    started = {}
    for number, name in (("TC-1", "kees"), ("TC-2", "piet")):
        user = person(server, env, f"{name}@{domain}")
        server.ok(grant, u=user, o=company)
        assigned = server.ok(
            """mutation($n: String!, $u: ID!, $o: ID!) {
                 assignLicence(number: $n, userId: $u, workCompanyId: $o) { startedAt } }""",
            n=number,
            u=user,
            o=company,
        )
        started[number] = datetime.fromisoformat(assigned["assignLicence"]["startedAt"])
        # the employee's own rights go to Mira first, then the licence can be released
        server.ok(
            "mutation($f: ID!, $t: ID!) { transferOwnership(from: $f, to: $t) { invalidatedSessions } }",
            f=user,
            t=holder,
        )
        server.ok("mutation($u: ID!) { releaseLicence(userId: $u) { status } }", u=user)
    cancel = """mutation($n: String!) { requestLicenceCancellation(number: $n)
                  { needed effectiveAt } }"""
    # within the first 12 months: at the end of the term
    early = server.ok(cancel, n="TC-1")["requestLicenceCancellation"]
    assert early["needed"] is True
    assert datetime.fromisoformat(early["effectiveAt"]) == add_months(started["TC-1"], 12)
    # thirteen months on (the test clock's doing): at the next week boundary
    later = server.advance(timedelta(days=396))
    late = server.ok(cancel, n="TC-2")["requestLicenceCancellation"]
    effective = datetime.fromisoformat(late["effectiveAt"])
    assert effective > add_months(started["TC-2"], 12)
    assert later < effective <= later + timedelta(days=7)
    assert effective == next_week_boundary(server.now())
    assert (effective.weekday(), effective.hour, effective.minute) == (0, 0, 0)


def test_a_test_clock_must_name_the_store_it_is_for(tmp_path: Path) -> None:
    """Never by accident: naming another store than the one served stops at once."""
    for options in (
        ["--test-clock", "bolt://127.0.0.1:7687"],
        ["--neo4j", "bolt://127.0.0.1:1", "--test-clock", "memory"],
        ["--neo4j", "bolt://127.0.0.1:1", "--test-clock", "bolt://127.0.0.1:2"],
    ):
        done = subprocess.run(  # noqa: S603 - our own console script
            [console_script(), "serve", "--no-demo", "--port", "1", *options],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert done.returncode != 0
        assert "a test clock must name the store it is for" in done.stderr
        assert "Traceback" not in done.stderr
    done = subprocess.run(  # noqa: S603 - our own console script
        [
            console_script(),
            "serve",
            "--neo4j",
            "bolt://127.0.0.1:1",
            "--workers",
            "2",
            "--test-clock",
            "bolt://127.0.0.1:1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode != 0
    assert "--test-clock needs one worker" in done.stderr


def test_the_wall_clock_refuses_to_move(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(log, "--no-demo") as port:
        key = re.search(r"operator key for this store: (\S+)", log.read_text())
        assert key, log.read_text()
        wall = Server(port, key.group(1))
        assert wall.ok("{ testClock { now } }")["testClock"] is None
        _, body, _ = wall.post("mutation { advanceTestClock(seconds: 60) { now } }")
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "wall clock" in body["errors"][0]["message"]
