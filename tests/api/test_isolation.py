"""Tenant isolation over HTTP (DESIGN §3.0), the findings an outsider made, on both stores.

Each test names the hole it closes: a partnership without the other side's consent,
joining an environment by e-mail domain without proof, nested fields that skipped
the visibility rule, requests that described the recipient's side, and a released
licence that still logged in.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from apiclient import Api
from smtp_sink import Mailbox, body

from graph_engine import ids
from graph_engine.clock import ManualClock
from graph_engine.model import PageRequest
from graph_engine.store import quota

PASSWORD = "correct horse battery"
PROPOSE = """mutation($p: ID!) { proposePartnership(partnerUserId: $p) {
  id status proposerId recipientId recipient { name email } } }"""
ACCEPT = """mutation($q: ID!) { acceptPartnershipProposal(proposalId: $q) {
  status partnershipId partnership { environmentIds } proposer { name } } }"""
DECLINE = "mutation($q: ID!) { declinePartnershipProposal(proposalId: $q) { status } }"
USERS_OF = "query($e: ID!) { environment(id: $e) { name users { nodes { name email } } } }"


async def tenant(api: Api, key: str, *roles: str) -> dict[str, Any]:
    """An environment ``key`` with an organisation and one user per role (the first is its
    ADMIN), each with an open session: ``{"env", "org", role: {"id", "token"}}``."""
    made = await api.ok(
        """mutation($n: String!, $d: String!) {
             createEnvironment(input: {name: $n, emailDomain: $d}) { id } }""",
        api.operator,
        n=f"Tenant {key}",
        d=f"{key}.example",
    )
    env = made["createEnvironment"]["id"]
    org = await api.ok(
        'mutation($e: ID!) { createOrganisation(environmentId: $e, name: "Org") { id } }',
        api.operator,
        e=env,
    )
    out: dict[str, Any] = {"env": env, "org": org["createOrganisation"]["id"]}
    for role in ("ADMIN", *roles):
        user = await api.ok(
            """mutation($e: ID!, $m: String!, $r: Role!, $pw: String!) {
                 createUser(input: {environmentId: $e, email: $m, name: $m, role: $r,
                                    password: $pw}) { id } }""",
            api.operator,
            e=env,
            m=f"{role.lower()}@{key}.example",
            r=role,
            pw=PASSWORD,
        )
        token = ids.new_session_token()
        await api.engine.store.create_session(
            session_id=ids.new_id("Session"),
            user_id=user["createUser"]["id"],
            token_hash=ids.token_hash(token),
            at=api.engine.clock.now(),
        )
        out[role] = {"id": user["createUser"]["id"], "token": token}
    return out


async def session(api: Api, user_id: str) -> str:
    """Open a session for a user straight in the store (login has its own tests)."""
    token = ids.new_session_token()
    await api.engine.store.create_session(
        session_id=ids.new_id("Session"),
        user_id=user_id,
        token_hash=ids.token_hash(token),
        at=api.engine.clock.now(),
    )
    return token


async def count(api: Api, label: str) -> int:
    data = await api.engine.store.export_graph()
    return sum(1 for n in data.nodes if n.label == label)


# -- partnerships need the other side's consent -----------------------------------------


async def test_a_partnership_is_only_proposed_until_the_other_side_accepts(api: Api) -> None:
    x = await tenant(api, "x", "ADVANCED_USER")
    y = await tenant(api, "y", "ADVANCED_USER")
    me, them = x["ADVANCED_USER"], y["ADVANCED_USER"]
    # The old way in is shut for users: only operators partner directly.
    direct = await api.fails(
        "mutation($u: ID!, $p: ID!) { createPartnership(userId: $u, partnerUserId: $p) { id } }",
        me["token"],
        u=me["id"],
        p=them["id"],
    )
    assert direct.code == "FORBIDDEN"
    assert "proposePartnership" in direct.errors[0]["extensions"]["suggestion"]
    proposed = (await api.ok(PROPOSE, me["token"], p=them["id"]))["proposePartnership"]
    # The proposer learns nothing of the other side beyond the id they typed.
    assert proposed["status"] == "PENDING"
    assert proposed["recipient"] is None
    assert await count(api, "Partnership") == 0
    assert (await api.fails(USERS_OF, me["token"], e=y["env"])).code == "NOT_FOUND"
    # The proposer cannot answer for the other side; a stranger sees no such proposal.
    assert (await api.fails(ACCEPT, me["token"], q=proposed["id"])).code == "FORBIDDEN"
    stranger = await tenant(api, "z")
    assert (await api.fails(ACCEPT, stranger["ADMIN"]["token"], q=proposed["id"])).code == (
        "NOT_FOUND"
    )
    # The chosen user sees who proposes, and accepts.
    inbox = await api.ok(
        "{ partnershipProposals { nodes { id proposer { email } } } }", them["token"]
    )
    assert inbox["partnershipProposals"]["nodes"] == [
        {"id": proposed["id"], "proposer": {"email": "advanced_user@x.example"}}
    ]
    accepted = (await api.ok(ACCEPT, them["token"], q=proposed["id"]))["acceptPartnershipProposal"]
    assert accepted["status"] == "ACCEPTED"
    assert sorted(accepted["partnership"]["environmentIds"]) == sorted([x["env"], y["env"]])
    # Only now does anything cross.
    seen = await api.ok(USERS_OF, me["token"], e=y["env"])
    assert "admin@y.example" in {u["email"] for u in seen["environment"]["users"]["nodes"]}
    again = await api.fails(PROPOSE, me["token"], p=them["id"])  # they are partners now
    assert again.code == "CONSTRAINT_VIOLATION"


async def test_an_admin_of_the_other_side_may_decline_for_the_chosen_user(api: Api) -> None:
    x = await tenant(api, "x", "ADVANCED_USER")
    y = await tenant(api, "y", "ADVANCED_USER")
    proposed = await api.ok(PROPOSE, x["ADVANCED_USER"]["token"], p=y["ADVANCED_USER"]["id"])
    proposal = proposed["proposePartnership"]["id"]
    listed = await api.ok("{ partnershipProposals { nodes { id } } }", y["ADMIN"]["token"])
    assert [n["id"] for n in listed["partnershipProposals"]["nodes"]] == [proposal]
    declined = await api.ok(DECLINE, y["ADMIN"]["token"], q=proposal)
    assert declined["declinePartnershipProposal"]["status"] == "DECLINED"
    assert (await api.fails(ACCEPT, y["ADVANCED_USER"]["token"], q=proposal)).code == (
        "CONSTRAINT_VIOLATION"
    )
    assert await count(api, "Partnership") == 0


async def test_proposing_to_someone_says_nothing_about_them(api: Api) -> None:
    x = await tenant(api, "x", "ADVANCED_USER")
    y = await tenant(api, "y", "USER")
    # A USER cannot represent a partnership, but the proposer is not told so: that would
    # describe the other tenant. The refusal comes to whoever answers it, in their tenant.
    proposed = await api.ok(PROPOSE, x["ADVANCED_USER"]["token"], p=y["USER"]["id"])
    assert proposed["proposePartnership"]["recipient"] is None
    refused = await api.fails(ACCEPT, y["USER"]["token"], q=proposed["proposePartnership"]["id"])
    assert refused.code == "CONSTRAINT_VIOLATION"
    assert await count(api, "Partnership") == 0
    unknown = await api.fails(PROPOSE, x["ADVANCED_USER"]["token"], p="usr_0000000000000000")
    assert unknown.code == "NOT_FOUND"


async def test_a_second_proposal_does_not_tell_whether_two_users_share_an_environment(
    api: Api,
) -> None:
    """Proposals to two users of one environment both stay pending: refusing the second
    would tell the proposer the two are colleagues. Accepting both makes one partnership."""
    x = await tenant(api, "x", "ADVANCED_USER")
    y = await tenant(api, "y", "ADVANCED_USER")
    me = x["ADVANCED_USER"]["token"]
    first = (await api.ok(PROPOSE, me, p=y["ADVANCED_USER"]["id"]))["proposePartnership"]
    second = (await api.ok(PROPOSE, me, p=y["ADMIN"]["id"]))["proposePartnership"]
    assert first["status"] == second["status"] == "PENDING"
    # Only the same proposal twice is refused, and that names only the environment's own.
    again = await api.fails(PROPOSE, x["ADMIN"]["token"], p=y["ADVANCED_USER"]["id"])
    assert again.code == "CONSTRAINT_VIOLATION"
    assert first["id"] in again.errors[0]["message"]
    made = await api.ok(ACCEPT, y["ADVANCED_USER"]["token"], q=first["id"])
    kept = await api.ok(ACCEPT, y["ADMIN"]["token"], q=second["id"])
    one = made["acceptPartnershipProposal"]["partnershipId"]
    assert one is not None
    assert kept["acceptPartnershipProposal"]["partnershipId"] == one
    assert await count(api, "Partnership") == 1


# -- authorization requests reveal nothing about the recipient ------------------------------


SEND = """mutation($r: ID!, $o: ID!, $s: String!) {
  sendAuthorizationRequest(recipientId: $r, organisationId: $o, software: $s) { id } }"""


async def test_a_flood_of_requests_mails_the_recipient_once_and_then_waits(api: Api) -> None:
    """Thirty aliases of one request in one document make one request and one mail; a
    sender who has sent the hour's limit is answered 429 with Retry-After."""
    x = await tenant(api, "x", "ADVANCED_USER")
    y = await tenant(api, "y")
    sender, recipient = x["ADVANCED_USER"], y["ADMIN"]
    aliases = " ".join(
        f"a{i}: sendAuthorizationRequest(recipientId: $r, organisationId: $o, software: $s)"
        " { id }"
        for i in range(30)
    )
    flood = await api.call(
        f"mutation($r: ID!, $o: ID!, $s: String!) {{ {aliases} }}",
        sender["token"],
        r=recipient["id"],
        o=y["org"],
        s="Yuki https://phish.example",
    )
    # The second alias is refused as a repeat; its error nulls the answer's data, which
    # stops the rest (mutation fields run one after the other).
    assert flood.status == 200
    assert [e["extensions"]["code"] for e in flood.errors] == ["CONSTRAINT_VIOLATION"]
    assert await count(api, "AuthorizationRequest") == 1
    mails = await api.engine.store.list_outbox(
        to="admin@y.example", page=PageRequest(first=100, after=None)
    )
    assert len(mails.items) == 1
    # The sender's words reach the mail only quoted and marked as theirs.
    assert 'as the sender wrote it (not checked by us): "Yuki https://phish.example"' in (
        mails.items[0].body
    )
    orgs: list[str] = []
    for i in range(quota.SEND_LIMIT):
        org = await api.ok(
            "mutation($e: ID!, $n: String!) { createOrganisation(environmentId: $e, name: $n) { id } }",
            api.operator,
            e=y["env"],
            n=f"Org {i}",
        )
        orgs.append(org["createOrganisation"]["id"])
    for made_org in orgs[:-1]:
        await api.ok(SEND, sender["token"], r=recipient["id"], o=made_org, s="Yuki")
    response = await api.http.post(
        "/graphql",
        json={"query": SEND, "variables": {"r": recipient["id"], "o": orgs[-1], "s": "Yuki"}},
        headers={"Authorization": f"Bearer {sender['token']}"},
    )
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
    assert await count(api, "AuthorizationRequest") == quota.SEND_LIMIT


async def test_wrong_guesses_at_another_tenants_ids_are_counted(
    api: Api, clock: ManualClock
) -> None:
    """A success of sendAuthorizationRequest or proposePartnership tells that the ids
    named are real, a NOT_FOUND that they are not; an outsider could try pair after
    pair. Wrong guesses are counted per caller (10 free) and per environment (25): then
    every such request waits, the right guess too, and a colleague does not start afresh
    once the environment's are spent."""
    x = await tenant(api, "x", "ADVANCED_USER", "USER")
    y = await tenant(api, "y")
    guesser, colleague = x["ADVANCED_USER"], x["ADMIN"]
    codes = []
    for i in range(12):
        reply = await api.fails(SEND, guesser["token"], r=f"usr_guess{i}", o=y["org"], s="Yuki")
        codes.append(reply.code)
    assert codes[:10] == ["NOT_FOUND"] * 10
    assert "TOO_MANY_ATTEMPTS" in codes[10:]
    # Now even the right pair waits, and so does a proposal to a real user.
    right = await api.fails(SEND, guesser["token"], r=y["ADMIN"]["id"], o=y["org"], s="Yuki")
    assert right.code == "TOO_MANY_ATTEMPTS"
    assert right.errors[0]["extensions"]["retryAfter"] > 0
    proposal = await api.fails(PROPOSE, guesser["token"], p=y["ADMIN"]["id"])
    assert proposal.code == "TOO_MANY_ATTEMPTS"
    assert await count(api, "AuthorizationRequest") == 0
    # A colleague still may (the environment has guesses left), and wrong proposals count.
    await api.ok(SEND, colleague["token"], r=y["ADMIN"]["id"], o=y["org"], s="Yuki")
    refused = [
        (await api.fails(PROPOSE, colleague["token"], p=f"usr_nobody{i}")).code for i in range(12)
    ]
    assert refused[:10] == ["NOT_FOUND"] * 10
    assert "TOO_MANY_ATTEMPTS" in refused[10:]
    # The environment's count: a colleague promoted to send, who guessed nothing yet, waits
    # once the environment's guesses are spent, before their own ten.
    third = x["USER"]
    await api.ok(
        "mutation($u: ID!) { setUserRole(userId: $u, role: ADVANCED_USER) { id } }",
        colleague["token"],
        u=third["id"],
    )
    for i in range(10):
        reply = await api.fails(PROPOSE, third["token"], p=f"usr_more{i}")
        if reply.code == "TOO_MANY_ATTEMPTS":
            break
    assert reply.code == "TOO_MANY_ATTEMPTS", reply.errors
    assert i < 10 - 1  # stopped by the environment's counter, not by their own
    # Once the wait has passed (it is at most 15 minutes), the right guess goes through.
    clock.advance(timedelta(minutes=16))
    await api.ok(SEND, guesser["token"], r=y["ADMIN"]["id"], o=y["org"], s="Yuki")


async def test_wrong_guesses_are_counted_per_network_address_too(api: Api) -> None:
    """A tenant made anew (signing up takes a minute) starts with fresh guesses of its
    own; the address they come from does not: 25 free, whatever the tenant."""
    spent = 0
    for key in ("p", "q", "r"):
        guesser = (await tenant(api, key, "ADVANCED_USER"))["ADVANCED_USER"]
        for i in range(10):
            reply = await api.fails(PROPOSE, guesser["token"], p=f"usr_{key}{i}")
            if reply.code == "TOO_MANY_ATTEMPTS":
                break
            assert reply.code == "NOT_FOUND"
            spent += 1
    # Three tenants of ten own guesses each, from one address: stopped once its 25 free
    # ones are spent (the one that spends the last starts the wait).
    assert 25 <= spent <= 26
    assert reply.code == "TOO_MANY_ATTEMPTS"


async def test_an_authorization_request_shows_the_sender_only_what_they_typed(
    api: Api,
) -> None:
    x = await tenant(api, "x", "ADVANCED_USER")
    y = await tenant(api, "y")
    sent = await api.ok(
        """mutation($r: ID!, $o: ID!) { sendAuthorizationRequest(recipientId: $r,
             organisationId: $o, software: "Yuki") {
             recipientId organisationId recipient { name email } organisation { name } } }""",
        x["ADVANCED_USER"]["token"],
        r=y["ADMIN"]["id"],
        o=y["org"],
    )
    assert sent["sendAuthorizationRequest"] == {
        "recipientId": y["ADMIN"]["id"],
        "organisationId": y["org"],
        "recipient": None,
        "organisation": None,
    }
    assert "y.example" not in str(sent)
    # A wrong pair is one answer, whatever is wrong with it.
    for recipient, organisation in ((y["ADMIN"]["id"], x["org"]), ("usr_0", y["org"])):
        refused = await api.fails(
            """mutation($r: ID!, $o: ID!) { sendAuthorizationRequest(recipientId: $r,
                 organisationId: $o, software: "Yuki") { id } }""",
            x["ADVANCED_USER"]["token"],
            r=recipient,
            o=organisation,
        )
        assert refused.code == "NOT_FOUND"
        assert refused.errors[0]["message"] == (
            f"there is no user {recipient} to ask about organisation {organisation}"
        )
    # The recipient does see who asks (the sender introduced themself), and nothing else.
    incoming = await api.ok(
        """{ authorizationRequests { nodes { sender { email environment { name } access { organisationId } } } } }""",
        y["ADMIN"]["token"],
    )
    [request] = incoming["authorizationRequests"]["nodes"]
    assert request["sender"] == {
        "email": "advanced_user@x.example",
        "environment": None,
        "access": [],
    }


# -- nested fields pass the gate --------------------------------------------------------------


async def test_a_partners_partner_stays_out_of_reach_even_through_nested_fields(
    api: Api,
) -> None:
    """A partnered with B, B with C; b of B has access to C's organisation oC."""
    a = await tenant(api, "a")
    b = await tenant(api, "b", "ADVANCED_USER")
    c = await tenant(api, "c")
    for left, right in ((a, b), (b, c)):
        await api.ok(
            "mutation($u: ID!, $p: ID!) { createPartnership(userId: $u, partnerUserId: $p) { id } }",
            api.operator,
            u=left["ADMIN"]["id"],
            p=right["ADMIN"]["id"],
        )
    await api.ok(
        'mutation($o: ID!) { renameOrg: createOrganisation(environmentId: $o, name: "Secret C") { id } }',
        api.operator,
        o=c["env"],
    )
    connect = "mutation($u: ID!, $p: ID!) { connect(userId: $u, peerId: $p) { created } }"
    await api.ok(connect, api.operator, u=b["ADVANCED_USER"]["id"], p=c["ADMIN"]["id"])
    invited = await api.ok(
        """mutation($j: ID!, $o: ID!) { invite(inviteeId: $j, organisationId: $o) { id } }""",
        c["ADMIN"]["token"],
        j=b["ADVANCED_USER"]["id"],
        o=c["org"],
    )
    await api.ok(
        "mutation($i: ID!) { acceptInvitation(invitationId: $i) { status } }",
        b["ADVANCED_USER"]["token"],
        i=invited["invite"]["id"],
    )
    token = a["ADMIN"]["token"]
    assert (
        await api.fails("query($o: ID!) { organisation(id: $o) { name } }", token, o=c["org"])
    ).code == "NOT_FOUND"
    seen = await api.ok(
        """query($u: ID!, $e: ID!) {
             user(id: $u) { access { organisationId organisation { id name } } environment { name } }
             environment(id: $e) { partnerships { nodes { environmentIds representatives { email } } } }
             connections(userId: $u) { nodes { email } } }""",
        token,
        u=b["ADVANCED_USER"]["id"],
        e=b["env"],
    )
    text = str(seen)
    assert c["org"] not in text
    assert c["env"] not in text
    assert "c.example" not in text
    assert seen["user"]["access"] == []
    assert seen["user"]["environment"] == {"name": "Tenant b"}
    [shown] = seen["environment"]["partnerships"]["nodes"]
    assert sorted(shown["environmentIds"]) == sorted([a["env"], b["env"]])
    # b's own view (b reaches C) still has everything.
    own = await api.ok("{ me { access { organisation { name } } } }", b["ADVANCED_USER"]["token"])
    assert own["me"]["access"] == [{"organisation": {"name": "Org"}}]


# -- joining by e-mail domain needs proof ------------------------------------------------------


SIGN_UP = """mutation($e: String!, $n: String!, $p: String!) {
  signUp(email: $e, name: $n, password: $p) { email expiresAt message } }"""
VERIFY = """mutation($t: String!, $p: String!) {
  verifySignUp(token: $t, password: $p) { id role environmentId environment { name } } }"""
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"


async def test_joining_by_domain_waits_for_the_mailed_code(mail_api: Api, mailbox: Mailbox) -> None:
    api = mail_api
    y = await tenant(api, "y")
    answer = (await api.ok(SIGN_UP, e="mallory@y.example", n="Mallory", p=PASSWORD))["signUp"]
    assert "Tenant y" not in str(answer)
    assert answer["email"] == "mallory@y.example"
    # Nothing exists yet: no login, no user, no seat, invisible to the environment.
    assert (await api.fails(LOGIN, e="mallory@y.example", p=PASSWORD)).code == "UNAUTHENTICATED"
    users = await api.ok(USERS_OF, y["ADMIN"]["token"], e=y["env"])
    assert [u["email"] for u in users["environment"]["users"]["nodes"]] == ["admin@y.example"]
    # The code came through a real SMTP server; with another password it does nothing.
    [message] = mailbox.to("mallory@y.example")
    assert message["Subject"] == "Confirm your address"
    token = mailbox.token("mallory@y.example")
    assert (await api.fails(VERIFY, t=token, p="not the password at all")).code == (
        "UNAUTHENTICATED"
    )
    joined = (await api.ok(VERIFY, t=token, p=PASSWORD))["verifySignUp"]
    assert (joined["role"], joined["environmentId"]) == ("USER", y["env"])
    assert (await api.fails(VERIFY, t=token, p=PASSWORD)).code == "UNAUTHENTICATED"  # once
    assert (await api.ok(LOGIN, e="mallory@y.example", p=PASSWORD))["login"]["token"]


async def test_a_code_expires_and_an_admin_may_approve_instead(
    mail_api: Api, mailbox: Mailbox
) -> None:
    api = mail_api
    y = await tenant(api, "y")
    await api.ok(SIGN_UP, e="late@y.example", n="Late", p=PASSWORD)
    token = mailbox.token("late@y.example")
    api.engine.clock.advance(timedelta(hours=24, seconds=1))  # type: ignore[attr-defined]
    assert (await api.fails(VERIFY, t=token, p=PASSWORD)).code == "UNAUTHENTICATED"
    y["ADMIN"]["token"] = await session(api, y["ADMIN"]["id"])  # a day later: a new login
    pending = await api.ok(
        "query($e: ID!) { signUps(environmentId: $e) { nodes { id email } } }",
        y["ADMIN"]["token"],
        e=y["env"],
    )
    [sign_up] = pending["signUps"]["nodes"]
    assert sign_up["email"] == "late@y.example"
    outsider = await tenant(api, "x")  # made now: its session is fresh
    approve = "mutation($s: ID!) { approveSignUp(signUpId: $s) { role environmentId } }"
    assert (await api.fails(approve, outsider["ADMIN"]["token"], s=sign_up["id"])).code == (
        "NOT_FOUND"
    )
    approved = await api.ok(approve, y["ADMIN"]["token"], s=sign_up["id"])
    assert approved["approveSignUp"] == {"role": "USER", "environmentId": y["env"]}


async def test_signing_up_with_a_taken_address_answers_the_same_and_tells_its_owner(
    mail_api: Api, mailbox: Mailbox
) -> None:
    api = mail_api
    await tenant(api, "y")
    taken = (await api.ok(SIGN_UP, e="admin@y.example", n="Someone", p=PASSWORD))["signUp"]
    fresh = (await api.ok(SIGN_UP, e="fresh@y.example", n="Someone", p=PASSWORD))["signUp"]
    assert taken["message"].replace("admin@", "X@") == fresh["message"].replace("fresh@", "X@")
    [notice] = mailbox.to("admin@y.example")
    assert "already has an account" in body(notice)
    assert "gsu_" not in body(notice)


async def test_founding_a_new_domain_also_waits_for_the_code(
    mail_api: Api, mailbox: Mailbox
) -> None:
    api = mail_api
    await api.ok(SIGN_UP, e="founder@brand-new.example", n="Founder", p=PASSWORD)
    assert await count(api, "Environment") == 0
    made = await api.ok(VERIFY, t=mailbox.token("founder@brand-new.example"), p=PASSWORD)
    assert made["verifySignUp"]["role"] == "ADMIN"
    assert made["verifySignUp"]["environment"] == {"name": "brand-new.example"}


async def test_without_an_smtp_server_mail_waits_in_the_outbox_for_operators(api: Api) -> None:
    await api.ok(SIGN_UP, e="dev@local.example", n="Dev", p=PASSWORD)
    outbox = "query($to: String) { outbox(to: $to) { nodes { to subject body } } }"
    [mail] = (await api.ok(outbox, api.operator, to="DEV@local.example"))["outbox"]["nodes"]
    assert mail["subject"] == "Confirm your address"
    token = mail["body"].split("Confirmation code: ")[1].split()[0]
    assert (await api.ok(VERIFY, t=token, p=PASSWORD))["verifySignUp"]["role"] == "ADMIN"
    x = await tenant(api, "x")
    assert (await api.fails(outbox, x["ADMIN"]["token"])).code == "FORBIDDEN"
