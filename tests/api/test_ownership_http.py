"""The Easyflex article over HTTP, on both stores: rights change hands, licences go."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apiclient import Api

from graph_engine.store.licences import add_months

PASSWORD = "correct horse battery"
HOLDERS = "query($e: ID!) { ownershipOf(employeeId: $e) { workCompanyId holderId explicit } }"
TRANSFER = """mutation($f: ID!, $t: ID!, $e: [ID!], $w: [ID!]) {
  transferOwnership(from: $f, to: $t, employeeIds: $e, workCompanyIds: $w) {
    moved { employeeId workCompanyId holderId } invalidatedSessions } }"""


async def flex_agency(api: Api) -> dict[str, Any]:
    """Admin Anja; Piet, Kees and Mira in work companies Noord and Zuid. The agency is
    billed per licence, so everyone who logs in holds one (Anja's and Mira's are valid in
    Noord too); everyone is logged in."""
    made = await api.ok(
        """mutation { createEnvironment(input: {name: "Flex", emailDomain: "flex.example",
                                                 billing: PER_LICENCE}) { id } }""",
        api.operator,
    )
    ids: dict[str, Any] = {"env": made["createEnvironment"]["id"]}
    for key in ("anja", "piet", "kees", "mira"):
        data = await api.ok(
            """mutation($e: ID!, $email: String!, $pw: String!) {
                 createUser(input: {environmentId: $e, email: $email, name: $email,
                                    password: $pw}) { id } }""",
            api.operator,
            e=ids["env"],
            email=f"{key}@flex.example",
            pw=PASSWORD,
        )
        ids[key] = data["createUser"]["id"]
    for company in ("noord", "zuid"):
        data = await api.ok(
            "mutation($e: ID!, $n: String!) { createOrganisation(environmentId: $e, name: $n) { id } }",
            api.operator,
            e=ids["env"],
            n=f"Flex {company}",
        )
        ids[company] = data["createOrganisation"]["id"]
        for key in (
            ("anja", "piet", "kees", "mira") if company == "noord" else ("piet", "kees", "mira")
        ):
            await api.ok(
                "mutation($u: ID!, $o: ID!) { grantAccess(userId: $u, organisationId: $o) { role } }",
                api.operator,
                u=ids[key],
                o=ids[company],
            )
    for key, number in (
        ("anja", "EF-1000"),
        ("piet", "EF-1001"),
        ("kees", "EF-1002"),
        ("mira", "EF-1003"),
    ):
        await api.ok(
            """mutation($n: String!, $u: ID!, $w: ID!) {
                 assignLicence(number: $n, userId: $u, workCompanyId: $w) { number passwordSet } }""",
            api.operator,
            n=number,
            u=ids[key],
            w=ids["noord"],
        )
    for key in ("anja", "piet", "kees", "mira"):
        ids[f"token_{key}"] = await api.login(f"{key}@flex.example", PASSWORD)
    return ids


async def holders(api: Api, token: str, employee: str) -> dict[str, str]:
    data = await api.ok(HOLDERS, token, e=employee)
    return {o["workCompanyId"]: o["holderId"] for o in data["ownershipOf"]}


async def test_a_logged_in_holder_loses_the_session_and_gets_own_rights_back_at_login(
    api: Api,
) -> None:
    ids = await flex_agency(api)
    admin = ids["token_anja"]
    noord, zuid = ids["noord"], ids["zuid"]
    # Kees's rights go to Piet, who is logged in
    await api.ok(TRANSFER, admin, f=ids["kees"], t=ids["piet"])
    assert await holders(api, admin, ids["kees"]) == {noord: ids["piet"], zuid: ids["piet"]}
    # Then everything Piet holds goes to Mira: Piet's session ends
    done = await api.ok(TRANSFER, admin, f=ids["piet"], t=ids["mira"])
    assert done["transferOwnership"]["invalidatedSessions"] == 1
    assert len(done["transferOwnership"]["moved"]) == 4
    refused = await api.fails("{ me { id } }", ids["token_piet"])
    assert refused.code == "SESSION_INVALIDATED"
    assert "transferred" in refused.errors[0]["message"]
    # Piet logs in again with his licence: his own rights are back everywhere, Kees's
    # stay with Mira, and Mira (who lost Piet's) must log in again
    piet = await api.login("piet@flex.example", PASSWORD)
    assert await holders(api, piet, ids["piet"]) == {noord: ids["piet"], zuid: ids["piet"]}
    assert await holders(api, piet, ids["kees"]) == {noord: ids["mira"], zuid: ids["mira"]}
    assert (await api.fails("{ me { id } }", ids["token_mira"])).code == "SESSION_INVALIDATED"
    held = await api.ok(
        "query($u: ID!) { rightsHeldBy(userId: $u) { nodes { employeeId workCompanyId } } }",
        piet,
        u=ids["piet"],
    )
    assert {n["employeeId"] for n in held["rightsHeldBy"]["nodes"]} == {ids["piet"]}


async def test_release_waits_for_every_work_company_then_clears_number_and_password(
    api: Api,
) -> None:
    ids = await flex_agency(api)
    admin = ids["token_anja"]
    await api.ok(TRANSFER, admin, f=ids["kees"], t=ids["mira"], w=[ids["noord"]])
    assert await holders(api, admin, ids["kees"]) == {
        ids["noord"]: ids["mira"],
        ids["zuid"]: ids["kees"],
    }
    release = "mutation($u: ID!) { releaseLicence(userId: $u) { number assignedToId passwordSet status } }"
    refused = await api.fails(release, admin, u=ids["kees"])
    assert refused.code == "CONSTRAINT_VIOLATION"
    assert refused.errors[0]["extensions"]["workCompanies"] == [ids["zuid"]]
    # named as well as numbered, in the details and in the message
    assert refused.errors[0]["extensions"]["workCompanyNames"] == ["Flex zuid"]
    assert f"work companies Flex zuid ({ids['zuid']})" in refused.errors[0]["message"]
    await api.ok(TRANSFER, admin, f=ids["kees"], t=ids["mira"], w=[ids["zuid"]])
    done = await api.ok(release, admin, u=ids["kees"])
    assert done["releaseLicence"] == {
        "number": "EF-1002",
        "assignedToId": None,
        "passwordSet": False,
        "status": "RELEASED",
    }
    gone = await api.ok("query($u: ID!) { licenceOf(userId: $u) { number } }", admin, u=ids["kees"])
    assert gone["licenceOf"] is None
    # The password itself went, not only a flag: the old one no longer logs in.
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
    assert (await api.fails(login, e="kees@flex.example", p=PASSWORD)).code == "UNAUTHENTICATED"
    # Nor does the session he had open (ended when his rights moved; it stays ended).
    assert (await api.fails("{ me { id } }", ids["token_kees"])).code == "SESSION_INVALIDATED"
    # the licence started now: the cancellation waits for the 12 months
    cancel = await api.ok(
        'mutation { requestLicenceCancellation(number: "EF-1002") { needed effectiveAt message } }',
        admin,
    )
    effective = datetime.fromisoformat(cancel["requestLicenceCancellation"]["effectiveAt"])
    assert effective == add_months(api.engine.clock.now(), 12)


async def test_in_an_agency_billed_per_licence_only_a_licence_lets_a_user_in(api: Api) -> None:
    ids = await flex_agency(api)
    made = await api.ok(
        """mutation($e: ID!, $pw: String!) { createUser(input: {environmentId: $e,
             email: "nina@flex.example", name: "Nina", password: $pw}) { id } }""",
        api.operator,
        e=ids["env"],
        pw=PASSWORD,
    )
    login = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"
    refused = await api.fails(login, e="nina@flex.example", p=PASSWORD)
    assert refused.code == "LICENCE_REQUIRED"
    assert (await api.fails(login, e="nina@flex.example", p="a wrong password")).code == (
        "UNAUTHENTICATED"
    )
    await api.ok(
        "mutation($u: ID!, $o: ID!) { grantAccess(userId: $u, organisationId: $o) { role } }",
        ids["token_anja"],
        u=made["createUser"]["id"],
        o=ids["noord"],
    )
    await api.ok(
        """mutation($u: ID!, $w: ID!) {
             assignLicence(number: "EF-2000", userId: $u, workCompanyId: $w) { number } }""",
        ids["token_anja"],
        u=made["createUser"]["id"],
        w=ids["noord"],
    )
    assert (await api.ok(login, e="nina@flex.example", p=PASSWORD))["login"]["token"]


async def test_nightly_messages_reach_the_holder_once(api: Api) -> None:
    ids = await flex_agency(api)
    admin = ids["token_anja"]
    key = await api.ok(
        """mutation($e: ID!) { createApiKey(kind: BACKOFFICE, name: "FlexService",
                                            environmentId: $e) { key } }""",
        api.operator,
        e=ids["env"],
    )
    backoffice = key["createApiKey"]["key"]
    refused = await api.fails("mutation { runNightlyProcessing { created } }", admin)
    assert refused.code == "FORBIDDEN"
    run = await api.ok(
        'mutation { runNightlyProcessing(process: "Verloning") { created } }', backoffice
    )
    # Piet, Kees and Mira in both work companies, Anja in Noord: seven messages
    assert run["runNightlyProcessing"]["created"] == 7
    await api.ok(TRANSFER, admin, f=ids["kees"], t=ids["mira"])
    deliver = "mutation { deliverProcessMessages { delivered } }"
    assert (await api.ok(deliver, backoffice))["deliverProcessMessages"]["delivered"] == 7
    assert (await api.ok(deliver, backoffice))["deliverProcessMessages"]["delivered"] == 0
    inbox = await api.ok(
        "{ inbox(first: 10) { nodes { employeeId process deliveredToId } } }", ids["token_mira"]
    )
    nodes = inbox["inbox"]["nodes"]
    assert sorted(n["employeeId"] for n in nodes) == sorted([ids["kees"]] * 2 + [ids["mira"]] * 2)
    assert {n["process"] for n in nodes} == {"Verloning"}


async def test_bad_ownership_input_is_refused_without_writing(api: Api) -> None:
    ids = await flex_agency(api)
    admin = ids["token_anja"]
    cases = [
        (TRANSFER, admin, {"f": ids["kees"], "t": ids["mira"], "w": []}, "INVALID_INPUT"),
        (TRANSFER, admin, {"f": ids["kees"], "t": ids["kees"]}, "INVALID_INPUT"),
        (TRANSFER, admin, {"f": ids["kees"], "t": "usr_nobody"}, "NOT_FOUND"),
        (TRANSFER, ids["token_piet"], {"f": ids["kees"], "t": ids["mira"]}, "FORBIDDEN"),
        (TRANSFER, admin, {"f": ids["kees"], "t": ids["anja"]}, "CONSTRAINT_VIOLATION"),
    ]
    for query, token, variables, code in cases:
        assert (await api.fails(query, token, **variables)).code == code, variables
    bad_number = await api.fails(
        'mutation($u: ID!, $w: ID!) { assignLicence(number: "no spaces", userId: $u, workCompanyId: $w) { id } }',
        admin,
        u=ids["mira"],
        w=ids["noord"],
    )
    assert bad_number.code == "INVALID_INPUT"
    assert await holders(api, admin, ids["kees"]) == {
        ids["noord"]: ids["kees"],
        ids["zuid"]: ids["kees"],
    }
