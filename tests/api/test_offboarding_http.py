"""The Carerix article over HTTP, on both stores: a colleague leaves, step by step."""

from __future__ import annotations

from typing import Any

from apiclient import Api

PASSWORD = "correct horse battery"
USER_FIELDS = "id active loginBlocked mailEnabled username"


async def staffing_agency(api: Api) -> dict[str, Any]:
    """Environment 'uitzendbureau' (seat limit 3): admin Anja, Piet, and Pieter."""
    made = await api.ok(
        """mutation { createEnvironment(input: {name: "Uitzendbureau", emailDomain: "mail.example",
                                               seatLimit: 3}) { id } }""",
        api.operator,
    )
    ids: dict[str, Any] = {"env": made["createEnvironment"]["id"]}
    for key, name, username in [
        ("anja", "Anja Admin", "anja"),
        ("piet", "Piet Jansen", "piet"),
        ("pieter", "Pieter Post", "pieter"),
    ]:
        data = await api.ok(
            """mutation($e: ID!, $email: String!, $n: String!, $u: String!, $pw: String!) {
                 createUser(input: {environmentId: $e, email: $email, name: $n, username: $u,
                                    password: $pw}) { id } }""",
            api.operator,
            e=ids["env"],
            email=f"{username}@mail.example",
            n=name,
            u=username,
            pw=PASSWORD,
        )
        ids[key] = data["createUser"]["id"]
        ids[f"token_{key}"] = await api.login(f"{username}@mail.example", PASSWORD)
    return ids


async def test_the_article_end_to_end(api: Api) -> None:
    ids = await staffing_agency(api)
    admin, piet = ids["token_anja"], ids["token_piet"]
    for i in range(3):
        await api.ok(
            """mutation($n: String!, $r: ID!) { createDossier(name: $n, responsibleId: $r) { id } }""",
            piet,
            n=f"Kandidaat {i}",
            r=ids["piet"],
        )
    await api.ok(
        """mutation($r: ID!) { createDossier(name: "Kandidaat P", responsibleId: $r, kind: CONTACT) { id } }""",
        admin,
        r=ids["pieter"],
    )
    await api.ok(
        "mutation($u: ID!, $m: ID!) { setReportsTo(userId: $u, reportsToId: $m) { id } }",
        admin,
        u=ids["piet"],
        m=ids["anja"],
    )

    # Stap 1: deactivate (inactive + login blocked); Piet's open session ends at once
    done = await api.ok(
        f"mutation($u: ID!) {{ deactivateUser(userId: $u) {{ {USER_FIELDS} }} }}",
        admin,
        u=ids["piet"],
    )
    assert (done["deactivateUser"]["active"], done["deactivateUser"]["loginBlocked"]) == (
        False,
        True,
    )
    assert (await api.fails("{ me { id } }", piet)).code == "SESSION_INVALIDATED"
    refused = await api.fails(
        'mutation { login(email: "piet@mail.example", password: "correct horse battery") { token } }'
    )
    assert refused.code == "UNAUTHENTICATED"
    usage = await api.ok(
        "query($e: ID!) { seatUsage(environmentId: $e) { limit active inactive } }",
        admin,
        e=ids["env"],
    )
    assert usage["seatUsage"] == {"limit": 3, "active": 2, "inactive": 1}

    # Stap 2: filter by "responsible equals", choose two, give them to Pieter
    listed = await api.ok(
        """query($r: ID!) { dossiers(filter: {responsibleId: $r}) { nodes { id responsible { name } } } }""",
        admin,
        r=ids["piet"],
    )
    nodes = listed["dossiers"]["nodes"]
    assert [n["responsible"]["name"] for n in nodes] == ["Piet Jansen"] * 3
    two = [n["id"] for n in nodes[:2]]
    moved = await api.ok(
        """mutation($r: ID!, $d: [ID!], $to: ID!) {
             reassignDossiers(filter: {responsibleId: $r}, dossierIds: $d, toUserId: $to) { moved } }""",
        admin,
        r=ids["piet"],
        d=two,
        to=ids["pieter"],
    )
    assert moved["reassignDossiers"]["moved"] == 2
    # ... then "responsible contains" with nothing selected: all shown, taken over by the admin
    moved = await api.ok(
        """mutation { reassignDossiers(filter: {responsibleNameContains: "piet"}, takeOver: true) { moved } }""",
        admin,
    )
    assert moved["reassignDossiers"]["moved"] == 4  # Piet's last one and Pieter's three
    mine = await api.ok(
        "query($r: ID!) { dossiers(filter: {responsibleId: $r}) { nodes { id } } }",
        admin,
        r=ids["anja"],
    )
    assert len(mine["dossiers"]["nodes"]) == 4
    # Assigning to the inactive user is refused
    refused = await api.fails(
        """mutation($r: ID!, $to: ID!) { reassignDossiers(filter: {responsibleId: $r}, toUserId: $to) { moved } }""",
        admin,
        r=ids["anja"],
        to=ids["piet"],
    )
    assert refused.code == "CONSTRAINT_VIOLATION"

    # Stap 3: mail to the inactive user is forwarded to the one they report to ...
    query = """query($a: String!) { routeMail(address: $a) {
                 outcome note noteEn deliverTo { id } forwardedFrom { id } } }"""
    routed = (await api.ok(query, admin, a="piet@mail.example"))["routeMail"]
    assert routed["outcome"] == "FORWARDED"
    assert routed["note"] == "Dit bericht is doorgestuurd vanuit de inactieve gebruiker"
    assert routed["noteEn"] == "This message was forwarded from the inactive user"
    assert (routed["deliverTo"]["id"], routed["forwardedFrom"]["id"]) == (ids["anja"], ids["piet"])
    # ... until the user is renamed (piet -> piet_verwijderd): the old address reaches nobody
    await api.ok(
        f'mutation($u: ID!) {{ renameUser(userId: $u, username: "piet_verwijderd") {{ {USER_FIELDS} }} }}',
        admin,
        u=ids["piet"],
    )
    routed = (await api.ok(query, admin, a="piet@mail.example"))["routeMail"]
    assert routed == {
        "outcome": "NO_RECIPIENT",
        "note": None,
        "noteEn": None,
        "deliverTo": None,
        "forwardedFrom": None,
    }
    # removing the mail settings stops it for the new name too
    assert (await api.ok(query, admin, a="piet_verwijderd@mail.example"))["routeMail"][
        "outcome"
    ] == "FORWARDED"
    await api.ok(
        f"mutation($u: ID!) {{ updateMailSettings(userId: $u, mailEnabled: false) {{ {USER_FIELDS} }} }}",
        admin,
        u=ids["piet"],
    )
    assert (await api.ok(query, admin, a="piet_verwijderd@mail.example"))["routeMail"][
        "outcome"
    ] == "NO_RECIPIENT"

    # Heractiveren: active and unblocked, counts a seat again, can log in
    again = await api.ok(
        f"mutation($u: ID!) {{ reactivateUser(userId: $u) {{ {USER_FIELDS} }} }}",
        admin,
        u=ids["piet"],
    )
    assert (again["reactivateUser"]["active"], again["reactivateUser"]["loginBlocked"]) == (
        True,
        False,
    )
    usage = await api.ok(
        "query($e: ID!) { seatUsage(environmentId: $e) { active inactive } }", admin, e=ids["env"]
    )
    assert usage["seatUsage"] == {"active": 3, "inactive": 0}
    assert await api.login("piet@mail.example", PASSWORD)


async def test_seat_limit_over_http(api: Api) -> None:
    ids = await staffing_agency(api)
    admin = ids["token_anja"]
    await api.ok("mutation($u: ID!) { deactivateUser(userId: $u) { id } }", admin, u=ids["pieter"])
    await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "kees@mail.example",
                                                 name: "Kees"}) { id } }""",
        admin,
        e=ids["env"],
    )
    refused = await api.fails(
        "mutation($u: ID!) { reactivateUser(userId: $u) { id } }", admin, u=ids["pieter"]
    )
    assert refused.code == "SEAT_LIMIT_REACHED"
    assert refused.errors[0]["message"] == "the maximum number of active users (3) has been reached"
    usage = await api.ok(
        "query($e: ID!) { seatUsage(environmentId: $e) { active inactive } }", admin, e=ids["env"]
    )
    assert usage["seatUsage"] == {"active": 3, "inactive": 1}


async def test_users_cannot_offboard_and_admins_not_themselves(api: Api) -> None:
    ids = await staffing_agency(api)
    refused = await api.fails(
        "mutation($u: ID!) { deactivateUser(userId: $u) { id } }",
        ids["token_piet"],
        u=ids["pieter"],
    )
    assert refused.code == "FORBIDDEN"
    refused = await api.fails(
        "mutation($u: ID!) { deactivateUser(userId: $u) { id } }", ids["token_anja"], u=ids["anja"]
    )
    assert refused.code == "CONSTRAINT_VIOLATION"
    assert (
        await api.fails('{ routeMail(address: "x") { outcome } }', ids["token_anja"])
    ).code == "INVALID_INPUT"
    assert await api.ok("{ me { id } }", ids["token_pieter"])
